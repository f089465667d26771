// The error an API operation answers with: Notion's status, code and message.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace notion_emulator {

class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string code, const std::string& message,
           nlohmann::json additional_data = nullptr)
      : std::runtime_error(message),
        status_(status),
        code_(std::move(code)),
        additional_data_(std::move(additional_data)) {}

  int status() const noexcept { return status_; }
  const std::string& code() const noexcept { return code_; }
  const nlohmann::json& additional_data() const noexcept { return additional_data_; }

 private:
  int status_;
  std::string code_;
  nlohmann::json additional_data_;
};

inline ApiError validation_error(const std::string& message) {
  return ApiError(400, "validation_error", message);
}

// "body failed validation: <path> should be <expected>, instead was `<actual>`."
inline ApiError body_validation_error(const std::string& path, const std::string& expected,
                                      const nlohmann::json& actual) {
  return validation_error("body failed validation: " + path + " should be " + expected +
                          ", instead was `" + actual.dump() + "`.");
}

inline ApiError missing_field_error(const std::string& path) {
  return validation_error("body failed validation: " + path +
                          " should be defined, instead was `undefined`.");
}

inline ApiError length_error(const std::string& path, std::size_t limit, std::size_t actual,
                             bool at_most = true) {
  return validation_error("body failed validation: " + path + ".length should be " +
                          (at_most ? "≤ `" : "≥ `") + std::to_string(limit) + "`, instead was `" +
                          std::to_string(actual) + "`.");
}

}  // namespace notion_emulator
