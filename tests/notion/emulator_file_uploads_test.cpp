// The client's file upload and users endpoints against the emulator: multipart/form-data sends
// built with libcurl's mime API, single and multi-part, and the users list page by page.
#include "emulator_fixture.hpp"
#include "notionsync/notion/pagination.hpp"

namespace notionsync::notion::testing {
namespace {

using nlohmann::json;

// A paid workspace's limit (5 GiB): the multi-part test sends more than a free one's 5 MiB.
class ClientFileUploadsTest : public EmulatorTest {
 protected:
  void SetUp() override {
    notion_emulator::Options options;
    options.rate = 0;
    options.max_file_upload_size = 5ULL << 30;
    server_ = std::make_unique<notion_emulator::Server>(options);
    server_->start();
  }
};

TEST_F(ClientFileUploadsTest, ASmallFileIsSentAsFormDataInOnePart) {
  const json created = client().call(endpoints::create_file_upload("notes.txt", "text/plain"));
  EXPECT_EQ(created["status"], "pending");
  const std::string id = created["id"];
  // Bytes of every value, NUL included: the form carries them as they are.
  const std::string bytes("a\0b\r\n--c", 8);
  const json sent =
      client().call(endpoints::send_file_upload(id, "notes.txt", "text/plain", bytes));
  EXPECT_EQ(sent["status"], "uploaded");
  EXPECT_EQ(sent["content_length"], bytes.size());
  EXPECT_EQ(client().call(endpoints::retrieve_file_upload(id))["filename"], "notes.txt");
  EXPECT_EQ(server_->count("POST", "/v1/file_uploads"), 2u);
}

TEST_F(ClientFileUploadsTest, ALargeFileIsSentInNumberedPartsThenCompleted) {
  const std::string id =
      client().call(endpoints::create_file_upload("clip.mp4", "video/mp4", 2))["id"];
  client().call(
      endpoints::send_file_upload(id, "clip.mp4", "video/mp4", std::string(5 << 20, 'a'), 1));
  const json second =
      client().call(endpoints::send_file_upload(id, "clip.mp4", "video/mp4", "end", 2));
  EXPECT_EQ(second["number_of_parts"], json({{"total", 2}, {"sent", 2}}));
  const json completed = client().call(endpoints::complete_file_upload(id));
  EXPECT_EQ(completed["status"], "uploaded");
  EXPECT_EQ(completed["content_length"], (5 << 20) + 3);
}

TEST_F(ClientFileUploadsTest, ARefusedSendIsAValidationError) {
  const std::string id = client().call(endpoints::create_file_upload("a.png", "image/png"))["id"];
  try {
    client().call(endpoints::send_file_upload(id, "a.png", "image/gif", "GIF89a"));
    FAIL() << "a file of another type was taken";
  } catch (const ApiError& error) {
    EXPECT_EQ(error.notion_kind(), NotionErrorKind::validation);
    EXPECT_NE(error.notion_message().find("image/png"), std::string::npos);
  }
}

TEST_F(ClientFileUploadsTest, TheUsersListIsReadPageByPage) {
  server_->stop();
  notion_emulator::Options options;
  options.rate = 0;
  for (int i = 0; i < 150; ++i) {
    options.users.push_back(
        {"", "person", "Person " + std::to_string(i), "p" + std::to_string(i) + "@example.com"});
  }
  server_ = std::make_unique<notion_emulator::Server>(options);
  server_->start();
  std::size_t users = 0;
  std::size_t pages = 0;
  Pager pager(client(), [](const auto& cursor) { return endpoints::list_users(cursor); });
  while (auto page = pager.next()) {
    ++pages;
    users += page->results.size();
  }
  EXPECT_EQ(users, 151u) << "150 people and the integration";
  EXPECT_EQ(pages, 2u) << "100 a page";
}

}  // namespace
}  // namespace notionsync::notion::testing
