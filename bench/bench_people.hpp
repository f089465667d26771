// The people table two benchmarks sync through the notionsync program: a CSV of `name,key,score`
// rows ("Person 7", "k7", a score) and the notionsync.toml that maps it onto a Notion database
// (Name title, Key rich_text as the key, Score number) under the emulator's root page.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace notionsync::bench {

// A fresh folder under the system temp dir (the caller removes it).
inline std::string make_temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "notionsync-bench-XXXXXX");
  return mkdtemp(pattern.data());
}

struct PersonRow {
  int index = 0;
  int score = 0;
};

inline void write_people_csv(const std::string& path, const std::vector<PersonRow>& rows) {
  std::ofstream csv(path);
  csv << "name,key,score\n";
  for (const auto& row : rows) {
    csv << "Person " << row.index << ",k" << row.index << "," << row.score << "\n";
  }
}

// `dir`/notionsync.toml: app "bench", its state in `dir`/state.db, the client paced at `rate`
// requests/s with `burst`, one target "people" reading `dir`/people.csv.
inline void write_people_config(const std::string& dir, const std::string& parent_page_id,
                                double rate, double burst) {
  std::ofstream(dir + "/notionsync.toml")
      << "[app]\nname = \"bench\"\nstate = \"sqlite:state.db\"\n\n"
      << "[notion]\ntoken_env = \"NOTION_TOKEN\"\nrate = " << rate << "\nburst = " << burst
      << "\n\n"
      << "[[target]]\nname = \"people\"\nparent_page_id = \"" << parent_page_id
      << "\"\ntitle = \"People\"\nsource = { type = \"csv\", path = \"people.csv\" }\n"
      << "key = [\"key\"]\n[target.properties]\n"
      << "Name  = { column = \"name\",  type = \"title\" }\n"
      << "Key   = { column = \"key\",   type = \"rich_text\" }\n"
      << "Score = { column = \"score\", type = \"number\" }\n";
}

}  // namespace notionsync::bench
