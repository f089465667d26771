// Command-line flags of the benchmarks, parsed in one place: each flag `--name VALUE` (or a bare
// `--name` for a switch) is bound to a variable holding its default; anything else, or a flag
// without its value, prints the usage and exits 2.
//
//   Settings settings;  // rows, rate, burst, latency_ms, edited: their defaults
//   bench::Flags flags("drift_costs");
//   flags.rate_flags(settings).value("--edited", settings.edited);
//   flags.parse(argc, argv);
#pragma once

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace notionsync::bench {

class Flags {
 public:
  explicit Flags(std::string program) : program_(std::move(program)) {}

  // Binds `--name VALUE` to `target` (an integer, a floating-point number or a string).
  template <typename T>
  Flags& value(std::string name, T& target) {
    usage_ += " [" + name + " " + std::string(placeholder<T>()) + "]";
    bindings_.push_back({std::move(name), true, [&target](const std::string& text) {
                           if constexpr (std::is_same_v<T, std::string>) {
                             target = text;
                           } else if constexpr (std::is_floating_point_v<T>) {
                             target = static_cast<T>(std::stod(text));
                           } else {
                             target = static_cast<T>(std::stoll(text));
                           }
                         }});
    return *this;
  }

  // The flags of every benchmark at Notion's rate, bound to the members of the same names:
  // --rows, --rate, --burst, --latency-ms.
  template <typename Settings>
  Flags& rate_flags(Settings& settings) {
    return value("--rows", settings.rows)
        .value("--rate", settings.rate)
        .value("--burst", settings.burst)
        .value("--latency-ms", settings.latency_ms);
  }

  // The flags of the benchmarks that run the notionsync program beside an SDK script: --skip-sdk,
  // --notionsync (the program), --sdk-dir (bench/sdk_baseline), --node.
  template <typename Settings>
  Flags& program_flags(Settings& settings) {
    return flag("--skip-sdk", settings.skip_sdk)
        .value("--notionsync", settings.notionsync)
        .value("--sdk-dir", settings.sdk_dir)
        .value("--node", settings.node);
  }

  // Binds the switch `--name` to `target`, set to true when given.
  Flags& flag(std::string name, bool& target) {
    usage_ += " [" + name + "]";
    bindings_.push_back({std::move(name), false, [&target](const std::string&) { target = true; }});
    return *this;
  }

  void parse(int argc, char** argv) const {
    for (int i = 1; i < argc; ++i) {
      const std::string given = argv[i];
      const Binding* binding = find(given);
      if (binding == nullptr) fail("unknown flag " + given);
      std::string text;
      if (binding->takes_value) {
        if (i + 1 >= argc) fail(given + " needs a value");
        text = argv[++i];
      }
      try {
        binding->apply(text);
      } catch (const std::exception&) {
        fail(given + ": not a number: " + text);
      }
    }
  }

 private:
  struct Binding {
    std::string name;
    bool takes_value = true;
    std::function<void(const std::string&)> apply;
  };

  template <typename T>
  static constexpr const char* placeholder() {
    if constexpr (std::is_same_v<T, std::string>) return "TEXT";
    else return "N";
  }

  const Binding* find(const std::string& name) const {
    for (const Binding& binding : bindings_) {
      if (binding.name == name) return &binding;
    }
    return nullptr;
  }

  [[noreturn]] void fail(const std::string& problem) const {
    std::cerr << program_ << ": " << problem << "\nusage: " << program_ << usage_ << "\n";
    std::exit(2);
  }

  std::string program_;
  std::string usage_;
  std::vector<Binding> bindings_;
};

// "12.3 s": a duration as the benchmarks' tables print it.
inline std::string seconds_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", seconds);
  return text;
}

}  // namespace notionsync::bench
