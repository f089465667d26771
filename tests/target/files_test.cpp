// Files from disk: uploaded once through the File Upload API (one part up to 20 MB, parts of
// 10 MiB above), attached by their upload id, fingerprinted by their content; bad files fail
// their row naming the row, the column and the file; a sync killed between the upload and the
// page write is finished by the next run without uploading again. Also page icons and covers from
// emoji, URLs and local images.
#include <httplib.h>
#include <signal.h>

#include <fstream>

#include "attachments.hpp"
#include "notionsync/notion/typed_schema.hpp"
#include "support/process_run.hpp"
#include "target_test_fixture.hpp"

namespace notionsync::testing {
namespace {

using notion::DatabaseSchema;
using notion::PropertyType;

constexpr std::uint64_t kGiB = 1024ULL * 1024 * 1024;

class FilesTest : public TargetTest {
 protected:
  void configure_emulator(notion_emulator::Options& options) override {
    options.max_file_upload_size = max_upload_size_;
  }

  // Writes `size` bytes of `fill` to `name` in the test's folder; returns its path.
  std::string file(const std::string& name, std::size_t size, char fill = 'x') {
    const std::string path = dir.file(name);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    const std::string chunk(std::min<std::size_t>(size, 1 << 20), fill);
    for (std::size_t written = 0; written < size; written += chunk.size()) {
      out.write(chunk.data(), static_cast<std::streamsize>(std::min(chunk.size(), size - written)));
    }
    return path;
  }

  // File Upload API calls of the last sync: "create", "send", "complete" or "retrieve".
  std::size_t upload_calls(const std::string& which) {
    std::size_t n = 0;
    for (const auto& request : server().requests()) {
      const std::string& path = request.path;
      if (!path.starts_with("/v1/file_uploads")) continue;
      const bool counts = which == "create" ? request.method == "POST" && path == "/v1/file_uploads"
                          : which == "send" ? path.ends_with("/send")
                          : which == "complete"
                              ? path.ends_with("/complete")
                              : request.method == "GET" && path != "/v1/file_uploads";
      if (counts) ++n;
    }
    return n;
  }

  // The files of the page titled `name`: each file's name and downloaded size ("" for an
  // external file's URL).
  std::vector<std::pair<std::string, std::string>> files_of(const std::string& data_source,
                                                            const std::string& name) {
    for (const auto& page : backend->live_pages(data_source)) {
      if (notion::decode_property_value(page["properties"]["Name"]).as_string() != name) continue;
      std::vector<std::pair<std::string, std::string>> files;
      for (const auto& item : page["properties"]["Attachments"]["files"]) {
        if (item["type"] == "external") {
          files.emplace_back(item["name"], item["external"]["url"]);
        } else {
          files.emplace_back(item["name"], download(item["file"]["url"]));
        }
      }
      return files;
    }
    return {};
  }

  std::string download(const std::string& url) {
    httplib::Client http(backend->base_url());
    const auto answer = http.Get(url.substr(backend->base_url().size()));
    return answer && answer->status == 200 ? answer->body : "(download failed)";
  }

  std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  std::uint64_t max_upload_size_ = 5 * kGiB;  // a paid workspace's limit
};

TEST_P(FilesTest, ALocalFileIsUploadedOnceAndAttachedWhereverItIsNamed) {
  const std::string data_source = create_database(attachments_schema().to_notion_properties());
  const auto options = user_options(data_source, attachments_schema());
  const std::string one_byte = file("one.txt", 1, 'a');
  const std::string report = file("report.pdf", 2000, 'p');
  const std::vector<Row> rows = {
      attachment_row("One", {one_byte}),
      attachment_row("Two", {one_byte, "https://example.com/spec.pdf", report}),
      attachment_row("Three", {report})};
  auto result = sync(options, rows);
  ASSERT_TRUE(result.ok()) << result.to_string();
  EXPECT_EQ(upload_calls("create"), 2u) << "one upload per file, not per row";
  EXPECT_EQ(upload_calls("send"), 2u);
  EXPECT_EQ(upload_calls("complete"), 0u);
  EXPECT_EQ(count("GET", "/v1/users/me"), 1u) << "the workspace's upload limit";
  EXPECT_EQ(count("POST", "/v1/pages"), 3u);
  EXPECT_EQ(files_of(data_source, "Two"), (std::vector<std::pair<std::string, std::string>>{
                                              {"one.txt", "a"},
                                              {"spec.pdf", "https://example.com/spec.pdf"},
                                              {"report.pdf", std::string(2000, 'p')}}));

  // Unchanged files are never uploaded again: the run makes no call for these rows.
  result = sync(options, rows);
  EXPECT_EQ(result.targets[0].unchanged, 3u) << result.to_string();
  EXPECT_EQ(upload_calls("create") + upload_calls("send") + upload_calls("retrieve"), 0u);
  EXPECT_EQ(page_writes(), 0u) << "the drift check takes the hosted files for the local ones";
  EXPECT_EQ(backend->total_requests(), 1u + kDriftQuery);

  // A row that changed elsewhere attaches its file again by its upload id: no upload.
  auto changed_note = rows;
  changed_note[2] = attachment_row("Three", {report}, "now with a note");
  result = sync(options, changed_note);
  EXPECT_EQ(result.targets[0].updated, 1u);
  EXPECT_EQ(upload_calls("create") + upload_calls("send") + upload_calls("retrieve"), 0u);
  EXPECT_EQ(count("PATCH", "/v1/pages"), 1u);
  EXPECT_EQ(files_of(data_source, "Three").at(0).second, std::string(2000, 'p'));
}

TEST_P(FilesTest, AChangedFileIsUploadedAgainAndOnlyItsRowsWritten) {
  const std::string data_source = create_database(attachments_schema().to_notion_properties());
  const auto options = user_options(data_source, attachments_schema());
  const std::string logo = file("logo.png", 100, 'o');
  const std::string other = file("other.png", 100, 'q');
  const std::vector<Row> rows = {attachment_row("A", {logo}), attachment_row("B", {logo}),
                                 attachment_row("C", {other})};
  ASSERT_TRUE(sync(options, rows).ok());
  file("logo.png", 150, 'n');
  const auto result = sync(options, rows);
  EXPECT_EQ(result.targets[0].updated, 2u) << result.to_string();
  EXPECT_EQ(result.targets[0].unchanged, 1u);
  EXPECT_EQ(upload_calls("create"), 1u);
  EXPECT_EQ(upload_calls("send"), 1u);
  EXPECT_EQ(count("PATCH", "/v1/pages"), 2u);
  EXPECT_EQ(files_of(data_source, "B").at(0).second, std::string(150, 'n'));
}

TEST_P(FilesTest, SmallFilesGoInOnePartAndLargeOnesInTenMebibyteParts) {
  const std::string data_source = create_database(attachments_schema().to_notion_properties());
  const auto options = user_options(data_source, attachments_schema());
  const std::string empty = file("empty.txt", 0);
  const std::string one = file("one.json", 1, '1');
  const std::string nineteen = file("nineteen.mp4", 19'000'000, 'n');
  const std::string forty_five = file("forty-five.mp4", 45'000'000, 'f');
  const auto result = sync(options, {attachment_row("Empty", {empty}), attachment_row("One", {one}),
                                     attachment_row("Nineteen", {nineteen}),
                                     attachment_row("Forty-five", {forty_five})});
  ASSERT_EQ(result.targets[0].errors.size(), 1u) << result.to_string();
  const RowError& refused = result.targets[0].errors[0];
  EXPECT_EQ(refused.column, "files");
  EXPECT_NE(refused.message.find("'" + empty + "' is empty (0 bytes)"), std::string::npos)
      << refused.message;
  EXPECT_EQ(result.targets[0].created, 3u);
  // 1 byte and 19 MB: one create and one send each. 45 MB: one create, five parts (four of
  // 10 MiB and the rest), one complete.
  EXPECT_EQ(upload_calls("create"), 3u);
  EXPECT_EQ(upload_calls("send"), 1u + 1u + 5u);
  EXPECT_EQ(upload_calls("complete"), 1u);
  EXPECT_EQ(files_of(data_source, "One").at(0).second, "1");
  EXPECT_EQ(files_of(data_source, "Nineteen").at(0).second, slurp(nineteen));
  EXPECT_EQ(files_of(data_source, "Forty-five").at(0).second, slurp(forty_five));
}

TEST_P(FilesTest, BadFilesFailTheirRowNamingTheRowTheColumnAndTheFile) {
  const std::string data_source = create_database(attachments_schema().to_notion_properties());
  const auto options = user_options(data_source, attachments_schema());
  const std::string missing = dir.file("missing.pdf");
  const std::string program = file("tool.exe", 10);
  const std::string folder = dir.file("");
  const std::string good = file("good.txt", 3);
  backend->reset_counts();
  Sync sync(sync_settings("people-app"));
  auto target = add_database(sync, "people", options);
  EXPECT_TRUE(target.declare(attachment_row("Missing", {missing}), "rows.csv:2").has_value());
  EXPECT_TRUE(target.declare(attachment_row("Program", {program}), "rows.csv:3").has_value());
  EXPECT_TRUE(target.declare(attachment_row("Folder", {folder}), "rows.csv:4").has_value());
  EXPECT_FALSE(target.declare(attachment_row("Good", {good}), "rows.csv:5").has_value());
  const auto result = sync.run();
  EXPECT_EQ(result.targets[0].created, 1u);
  std::vector<std::string> errors;
  for (const auto& error : result.targets[0].errors) errors.push_back(to_string(error));
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_NE(errors[0].find("rows.csv:2"), std::string::npos) << errors[0];
  EXPECT_NE(errors[0].find("files"), std::string::npos) << errors[0];
  EXPECT_NE(errors[0].find("'" + missing + "' does not exist"), std::string::npos) << errors[0];
  EXPECT_NE(errors[1].find("Notion does not accept"), std::string::npos) << errors[1];
  EXPECT_NE(errors[2].find("is not a regular file"), std::string::npos) << errors[2];
  EXPECT_EQ(upload_calls("create"), 1u);
}

class FilesOnAFreeWorkspaceTest : public FilesTest {
 protected:
  FilesOnAFreeWorkspaceTest() { max_upload_size_ = 5 * 1024 * 1024; }
};

TEST_P(FilesOnAFreeWorkspaceTest, AFileOverTheWorkspacesLimitFailsItsRowBeforeAnyUpload) {
  const std::string data_source = create_database(attachments_schema().to_notion_properties());
  const std::string big = file("big.pdf", 6 * 1024 * 1024);
  const std::string small = file("small.pdf", 10);
  const auto result = sync(user_options(data_source, attachments_schema()),
                           {attachment_row("Big", {big}), attachment_row("Small", {small})});
  EXPECT_EQ(result.targets[0].created, 1u);
  ASSERT_EQ(result.targets[0].errors.size(), 1u) << result.to_string();
  const RowError& error = result.targets[0].errors[0];
  EXPECT_EQ(error.column, "files");
  EXPECT_NE(error.message.find("'" + big +
                               "' is 6291456 bytes; this workspace takes files of at "
                               "most 5242880 bytes"),
            std::string::npos)
      << error.message;
  EXPECT_EQ(upload_calls("create"), 1u) << "the small file only";
}

// kill -9 of a sync between an upload and the page write that attaches it.
class KilledUploadTest : public FilesTest {
 protected:
  int run_child(const std::string& data_source, const std::string& path,
                const std::string& kill_at) {
    return run_until_signalled({CRASH_UPLOAD_CHILD_PATH, backend->base_url(), data_source,
                                child_state_path, path, kill_at});
  }

  SyncReport sync_again(const std::string& data_source, const std::string& path) {
    backend->reset_counts();
    SyncSettings settings = sync_settings("uploads");
    settings.state = child_state_path;
    Sync sync(std::move(settings));
    auto target = add_database(sync, "files", user_options(data_source, attachments_schema()));
    target.declare(attachment_row("Report", {path}));
    return sync.run();
  }

  std::string child_state_path = dir.file("crash-state.db");
};

TEST_P(KilledUploadTest, AnUploadSentButNotAttachedIsReusedByTheNextRun) {
  const std::string data_source = create_database(attachments_schema().to_notion_properties());
  const std::string path = file("report.pdf", 4096, 'r');
  ASSERT_EQ(run_child(data_source, path, "uploaded"), SIGKILL);
  EXPECT_EQ(backend->live_pages(data_source).size(), 0u) << "killed before the page write";

  const auto result = sync_again(data_source, path);
  ASSERT_TRUE(result.ok()) << result.to_string();
  EXPECT_EQ(upload_calls("create") + upload_calls("send"), 0u) << "the upload is reused";
  EXPECT_EQ(upload_calls("retrieve"), 1u) << "after Notion confirms it is still uploaded";
  EXPECT_EQ(count("POST", "/v1/pages"), 1u);
  ASSERT_EQ(backend->live_pages(data_source).size(), 1u);
  EXPECT_EQ(files_of(data_source, "Report").at(0).second, std::string(4096, 'r'));

  const auto after = sync_again(data_source, path);
  EXPECT_EQ(after.targets[0].unchanged, 1u);
  EXPECT_EQ(page_writes() + upload_calls("create"), 0u);
}

TEST_P(KilledUploadTest, AnUploadThatExpiredMeanwhileIsAbandonedForANewOne) {
  const std::string data_source = create_database(attachments_schema().to_notion_properties());
  const std::string path = file("report.pdf", 4096, 'r');
  ASSERT_EQ(run_child(data_source, path, "uploaded"), SIGKILL);
  server().advance_clock(std::chrono::hours(2));
  const auto result = sync_again(data_source, path);
  ASSERT_TRUE(result.ok()) << result.to_string();
  EXPECT_EQ(upload_calls("retrieve"), 1u) << "Notion says it expired";
  EXPECT_EQ(upload_calls("create"), 1u);
  EXPECT_EQ(upload_calls("send"), 1u);
  EXPECT_EQ(count("POST", "/v1/pages"), 1u);
  EXPECT_EQ(files_of(data_source, "Report").at(0).second, std::string(4096, 'r'));
}

TEST_P(KilledUploadTest, AnUploadCreatedButNotSentIsAbandonedWithoutACall) {
  const std::string data_source = create_database(attachments_schema().to_notion_properties());
  const std::string path = file("report.pdf", 4096, 'r');
  ASSERT_EQ(run_child(data_source, path, "pending"), SIGKILL);
  const auto result = sync_again(data_source, path);
  ASSERT_TRUE(result.ok()) << result.to_string();
  EXPECT_EQ(upload_calls("retrieve"), 0u);
  EXPECT_EQ(upload_calls("create"), 1u);
  EXPECT_EQ(upload_calls("send"), 1u);
  EXPECT_EQ(backend->live_pages(data_source).size(), 1u);
}

// Page icons and covers.
struct Branded {
  std::string name;
  std::string icon;
  std::string cover;
};

class IconsAndCoversTest : public FilesTest {
 protected:
  notion::Schema<Branded> branded_schema() {
    return notion::Schema<Branded>()
        .title("Name", &Branded::name)
        .icon(&Branded::icon)
        .cover(&Branded::cover)
        .key(&Branded::name);
  }

  SyncReport sync_branded(const std::string& data_source, const std::vector<Branded>& rows) {
    backend->reset_counts();
    Sync sync(sync_settings("people-app"));
    auto target = add_database(sync, "people", branded_schema(), user_options(data_source));
    for (const auto& row : rows) target.declare(row);
    return sync.run();
  }

  std::map<std::string, nlohmann::json> pages(const std::string& data_source) {
    std::map<std::string, nlohmann::json> by_name;
    for (const auto& page : backend->live_pages(data_source)) {
      by_name[notion::decode_property_value(page["properties"]["Name"]).as_string()] = page;
    }
    return by_name;
  }
};

TEST_P(IconsAndCoversTest, AnIconIsAnEmojiAUrlOrAnImageAndACoverAUrlOrAnImage) {
  const std::string data_source = create_database(branded_schema().schema().to_notion_properties());
  const std::string logo = file("logo.png", 64, 'L');
  const std::string banner = file("banner.jpg", 128, 'B');
  const std::vector<Branded> rows = {
      {"Rocket", "🚀", "https://example.com/sky.jpg"},
      {"Linked", "https://example.com/icon.png", banner},
      {"Local", logo, ""},
  };
  auto result = sync_branded(data_source, rows);
  ASSERT_TRUE(result.ok()) << result.to_string();
  auto by_name = pages(data_source);
  EXPECT_EQ(by_name["Rocket"]["icon"], nlohmann::json({{"type", "emoji"}, {"emoji", "🚀"}}));
  EXPECT_EQ(by_name["Rocket"]["cover"]["external"]["url"], "https://example.com/sky.jpg");
  EXPECT_EQ(by_name["Linked"]["icon"]["external"]["url"], "https://example.com/icon.png");
  EXPECT_EQ(by_name["Linked"]["cover"]["type"], "file");
  EXPECT_EQ(download(by_name["Linked"]["cover"]["file"]["url"]), std::string(128, 'B'));
  EXPECT_EQ(download(by_name["Local"]["icon"]["file"]["url"]), std::string(64, 'L'));
  EXPECT_EQ(by_name["Local"]["cover"], nullptr);
  EXPECT_EQ(count("POST", "/v1/pages"), 3u) << "written with the page: no call of their own";
  EXPECT_EQ(upload_calls("create"), 2u);

  // Unchanged: nothing; an icon changed: one write; the icon removed: one write.
  result = sync_branded(data_source, rows);
  EXPECT_EQ(page_writes() + upload_calls("create"), 0u) << result.to_string();
  auto changed = rows;
  changed[0].icon = "🛰️";
  changed[2].icon = "";
  result = sync_branded(data_source, changed);
  EXPECT_EQ(result.targets[0].updated, 2u);
  EXPECT_EQ(count("PATCH", "/v1/pages"), 2u);
  by_name = pages(data_source);
  EXPECT_EQ(by_name["Rocket"]["icon"]["emoji"], "🛰️");
  EXPECT_EQ(by_name["Local"]["icon"], nullptr);
  EXPECT_EQ(by_name["Linked"]["cover"]["type"], "file") << "the cover stays attached";
}

TEST_P(IconsAndCoversTest, AnIconOrCoverThatIsNoImageFailsItsRow) {
  const std::string data_source = create_database(branded_schema().schema().to_notion_properties());
  const std::string paper = file("paper.pdf", 10);
  const auto result = sync_branded(
      data_source, {{"Pdf icon", paper, ""}, {"Emoji cover", "", "🚀"}, {"Fine", "🚀", ""}});
  EXPECT_EQ(result.targets[0].created, 1u);
  ASSERT_EQ(result.targets[0].errors.size(), 2u) << result.to_string();
  for (const auto& error : result.targets[0].errors) {
    if (error.key.find("Pdf") != std::string::npos) {
      EXPECT_EQ(error.column, "(page icon)");
      EXPECT_NE(error.message.find("is not an image (application/pdf)"), std::string::npos)
          << error.message;
    } else {
      EXPECT_EQ(error.column, "(page cover)");
      EXPECT_NE(error.message.find("does not exist"), std::string::npos) << error.message;
    }
  }
  EXPECT_EQ(upload_calls("create"), 0u);
}

// Uploads are the emulator's: these tests count them and move its clock.
INSTANTIATE_TEST_SUITE_P(Emulator, FilesTest, ::testing::Values(Where::emulator), where_name);
INSTANTIATE_TEST_SUITE_P(Emulator, FilesOnAFreeWorkspaceTest, ::testing::Values(Where::emulator),
                         where_name);
INSTANTIATE_TEST_SUITE_P(Emulator, KilledUploadTest, ::testing::Values(Where::emulator),
                         where_name);
INSTANTIATE_TEST_SUITE_P(Emulator, IconsAndCoversTest, ::testing::Values(Where::emulator),
                         where_name);

}  // namespace
}  // namespace notionsync::testing
