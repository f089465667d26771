// The File Upload API: states (pending, uploaded, expired, failed), single- and multi-part
// sends with Notion's part rules, size and type checks, expiry on the workspace's clock, listing,
// and attaching uploads to files properties, page icons and covers, whose bytes the emulator
// serves at the link a page object gives.
#include <filesystem>

#include "api_client.hpp"

namespace notion_emulator::testing {
namespace {

constexpr std::size_t kMiB = 1024 * 1024;
constexpr std::chrono::minutes kHour{60};

class FileUploadsTest : public EmulatorTest {
 protected:
  void configure(Options& options) override { options.max_file_upload_size = 100 * kMiB; }

  json create(const json& body) {
    const Reply reply = api_->post("/v1/file_uploads", body);
    EXPECT_EQ(reply.status, 200) << reply.body.dump();
    return reply.answer();
  }
  Reply send(const std::string& id, const std::string& bytes, const std::string& filename = "",
             const std::string& content_type = "", const std::string& part_number = "") {
    httplib::MultipartFormDataItems parts = {{"file", bytes, filename, content_type}};
    if (!part_number.empty()) parts.push_back({"part_number", part_number, "", ""});
    return api_->post_form("/v1/file_uploads/" + id + "/send", parts);
  }
  // A single-part upload of `bytes`, sent and uploaded.
  std::string uploaded(const std::string& filename, const std::string& bytes) {
    const std::string id = create({{"filename", filename}})["id"];
    const Reply sent = send(id, bytes, filename);
    EXPECT_EQ(sent.status, 200) << sent.body.dump();
    return id;
  }
  json retrieve(const std::string& id) { return api_->get("/v1/file_uploads/" + id).answer(); }
  // GET of a download link the emulator gave, without any token.
  httplib::Result download(const std::string& url) {
    const std::string prefix = server_->base_url();
    EXPECT_EQ(url.rfind(prefix, 0), 0u) << url;
    httplib::Client client(prefix);
    return client.Get(url.substr(prefix.size()));
  }
  json attach_to_new_page(const std::string& data_source, const json& files) {
    const Reply reply = create_page(data_source, {{"Att", {{"files", files}}}});
    EXPECT_EQ(reply.status, 200) << reply.body.dump();
    return reply.body;
  }
};

TEST_F(FileUploadsTest, ASinglePartUploadIsPendingThenUploadedThenAttachedByItsId) {
  const json created = create({{"filename", "note.txt"}, {"content_type", "text/plain"}});
  EXPECT_EQ(created["object"], "file_upload");
  EXPECT_EQ(created["status"], "pending");
  EXPECT_EQ(created["filename"], "note.txt");
  EXPECT_EQ(created["content_type"], "text/plain");
  EXPECT_EQ(created["content_length"], nullptr);
  EXPECT_TRUE(created["expiry_time"].is_string());
  EXPECT_EQ(created["created_by"]["type"], "bot");
  const std::string id = created["id"];
  EXPECT_EQ(created["upload_url"], server_->base_url() + "/v1/file_uploads/" + id + "/send");
  EXPECT_FALSE(created.contains("complete_url"));

  const Reply sent = send(id, "x", "note.txt", "text/plain");
  ASSERT_EQ(sent.status, 200) << sent.body.dump();
  EXPECT_EQ(sent.body["status"], "uploaded");
  EXPECT_EQ(sent.body["content_length"], 1);
  EXPECT_FALSE(sent.body.contains("upload_url"));
  EXPECT_EQ(send(id, "x").code(), "validation_error") << "an uploaded upload takes no more bytes";

  const std::string data_source = create_everything();
  const json page = attach_to_new_page(
      data_source, json::array({{{"type", "file_upload"}, {"file_upload", {{"id", id}}}}}));
  const json file = page["properties"]["Att"]["files"][0];
  EXPECT_EQ(file["name"], "note.txt") << "the name defaults to the upload's filename";
  EXPECT_EQ(file["type"], "file");
  EXPECT_TRUE(file["file"]["expiry_time"].is_string());
  const auto bytes = download(file["file"]["url"]);
  ASSERT_TRUE(bytes);
  EXPECT_EQ(bytes->status, 200);
  EXPECT_EQ(bytes->body, "x");
  EXPECT_EQ(bytes->get_header_value("Content-Type"), "text/plain");

  // Attached: no expiry any more, still uploaded, and attachable again (under another name).
  EXPECT_EQ(retrieve(id)["expiry_time"], nullptr);
  EXPECT_EQ(retrieve(id)["status"], "uploaded");
  const json again = attach_to_new_page(
      data_source, json::array({{{"file_upload", {{"id", id}}}, {"name", "again.txt"}}}));
  EXPECT_EQ(again["properties"]["Att"]["files"][0]["name"], "again.txt");
  server_->advance_clock(2 * kHour);
  EXPECT_EQ(retrieve(id)["status"], "uploaded") << "an attached upload never expires";
}

TEST_F(FileUploadsTest, AMultiPartUploadTakesItsPartsInAnyOrderThenCompletes) {
  const json created =
      create({{"mode", "multi_part"}, {"filename", "film.mp4"}, {"number_of_parts", 3}});
  const std::string id = created["id"];
  EXPECT_EQ(created["content_type"], "video/mp4") << "taken from the extension";
  EXPECT_EQ(created["complete_url"], server_->base_url() + "/v1/file_uploads/" + id + "/complete");
  EXPECT_EQ(created["number_of_parts"], json({{"total", 3}, {"sent", 0}}));

  const std::string first(5 * kMiB, 'a'), second(6 * kMiB, 'b'), last(10, 'c');
  EXPECT_EQ(send(id, last, "film.mp4", "", "3").status, 200);
  EXPECT_EQ(api_->post("/v1/file_uploads/" + id + "/complete", json::object()).code(),
            "validation_error")
      << "parts 1 and 2 are missing";
  EXPECT_EQ(send(id, first, "film.mp4", "", "1").status, 200);
  const Reply second_sent = send(id, second, "film.mp4", "video/mp4", "2");
  ASSERT_EQ(second_sent.status, 200) << second_sent.body.dump();
  EXPECT_EQ(second_sent.body["number_of_parts"], json({{"total", 3}, {"sent", 3}}));
  EXPECT_EQ(second_sent.body["status"], "pending");

  const Reply completed = api_->post("/v1/file_uploads/" + id + "/complete", json::object());
  ASSERT_EQ(completed.status, 200) << completed.body.dump();
  EXPECT_EQ(completed.body["status"], "uploaded");
  EXPECT_EQ(completed.body["content_length"], first.size() + second.size() + last.size());
  EXPECT_FALSE(completed.body.contains("complete_url"));

  const std::string data_source = create_everything();
  const json page = attach_to_new_page(
      data_source, json::array({{{"type", "file_upload"}, {"file_upload", {{"id", id}}}}}));
  const auto bytes = download(page["properties"]["Att"]["files"][0]["file"]["url"]);
  ASSERT_TRUE(bytes);
  EXPECT_EQ(bytes->body, first + second + last) << "parts joined in their numbers' order";
}

TEST_F(FileUploadsTest, PartsFollowNotionsSizeAndNumberRules) {
  const std::string id =
      create({{"mode", "multi_part"}, {"filename", "big.pdf"}, {"number_of_parts", 2}})["id"];
  const Reply too_small = send(id, std::string(kMiB, 'a'), "", "", "1");
  EXPECT_EQ(too_small.code(), "validation_error");
  EXPECT_NE(too_small.message().find("at least 5 MB"), std::string::npos) << too_small.message();
  const Reply too_big = send(id, std::string(20'000'001, 'a'), "", "", "2");
  EXPECT_NE(too_big.message().find("at most 20 MB"), std::string::npos) << too_big.message();
  EXPECT_EQ(send(id, "a", "", "", "0").code(), "validation_error");
  EXPECT_EQ(send(id, "a", "", "", "3").code(), "validation_error");
  EXPECT_EQ(send(id, "a").code(), "validation_error") << "part_number is required";
  ASSERT_EQ(send(id, "a", "", "", "2").status, 200) << "the last part may be small";
  EXPECT_NE(send(id, "b", "", "", "2").message().find("already sent"), std::string::npos);

  const std::string single = create({{"filename", "a.txt"}})["id"];
  EXPECT_EQ(send(single, "a", "", "", "1").code(), "validation_error")
      << "part_number is for multi_part uploads";
  EXPECT_EQ(api_->post("/v1/file_uploads/" + single + "/complete", json::object()).code(),
            "validation_error")
      << "only a multi_part upload is completed";
  EXPECT_NE(send(single, "").message().find("empty"), std::string::npos);
  const Reply json_body = api_->post("/v1/file_uploads/" + single + "/send", {{"file", "a"}});
  EXPECT_NE(json_body.message().find("multipart/form-data"), std::string::npos);
  EXPECT_EQ(api_->post_form("/v1/file_uploads/" + single + "/send",
                            {{"file", "a", "a.txt", ""}, {"extra", "1", "", ""}})
                .code(),
            "validation_error");

  EXPECT_EQ(
      api_->post("/v1/file_uploads", {{"mode", "multi_part"}, {"number_of_parts", 2}}).message(),
      "body failed validation: body.filename should be defined, instead was `undefined`.");
  EXPECT_EQ(api_->post("/v1/file_uploads", {{"mode", "multi_part"}, {"filename", "a.pdf"}}).code(),
            "validation_error");
  EXPECT_EQ(api_->post("/v1/file_uploads",
                       {{"mode", "multi_part"}, {"filename", "a.pdf"}, {"number_of_parts", 1001}})
                .code(),
            "validation_error");
  EXPECT_EQ(api_->post("/v1/file_uploads", {{"filename", "a.txt"}, {"number_of_parts", 2}}).code(),
            "validation_error");
}

TEST_F(FileUploadsTest, TypesAndSizesAreChecked) {
  EXPECT_NE(api_->post("/v1/file_uploads", {{"filename", "run.exe"}})
                .message()
                .find("Unsupported file extension"),
            std::string::npos);
  EXPECT_EQ(api_->post("/v1/file_uploads", {{"filename", "a.png"}, {"content_type", "text/plain"}})
                .code(),
            "validation_error");
  EXPECT_EQ(api_->post("/v1/file_uploads", {{"content_type", "application/x-msdownload"}}).code(),
            "validation_error");
  EXPECT_EQ(api_->post("/v1/file_uploads", {{"filename", std::string(897, 'a') + ".txt"}}).code(),
            "validation_error")
      << "a filename is at most 900 bytes";
  EXPECT_EQ(create({{"filename", "report"}, {"content_type", "application/pdf"}})["filename"],
            "report.pdf")
      << "the extension is inferred from the content type";

  // The file sent must be of the type the upload was created for.
  const std::string png = create({{"filename", "a.png"}})["id"];
  EXPECT_NE(send(png, "GIF89a", "a.png", "image/gif").message().find("image/png"),
            std::string::npos);
  EXPECT_EQ(send(png, "PNG", "a.png", "application/octet-stream").status, 200)
      << "a part without a stated type takes the upload's";
  // Without a filename at creation, the part's names the file.
  const std::string unnamed = create(json::object())["id"];
  const Reply named = send(unnamed, "{}", "data.json", "");
  ASSERT_EQ(named.status, 200) << named.body.dump();
  EXPECT_EQ(named.body["filename"], "data.json");
  EXPECT_EQ(named.body["content_type"], "application/json");
  EXPECT_EQ(send(create(json::object())["id"], "abc").code(), "validation_error")
      << "neither a name nor a type";
}

TEST_F(FileUploadsTest, AFileOverTheWorkspacesLimitIsRefused) {
  server_->stop();
  Options options;
  options.rate = 0;
  options.max_file_upload_size = 1000;
  server_ = std::make_unique<Server>(options);
  server_->start();
  api_ = std::make_unique<Api>(*server_);
  EXPECT_EQ(
      api_->get("/v1/users/me").body["bot"]["workspace_limits"]["max_file_upload_size_in_bytes"],
      1000);
  const std::string id = create({{"filename", "a.txt"}})["id"];
  const Reply refused = send(id, std::string(1001, 'a'));
  EXPECT_EQ(refused.code(), "validation_error");
  EXPECT_NE(refused.message().find("limit of 1000 bytes"), std::string::npos) << refused.message();
  EXPECT_EQ(send(id, std::string(1000, 'a')).status, 200);
}

TEST_F(FileUploadsTest, UploadsExpireAnHourAfterTheirCreationUnlessAttached) {
  const std::string pending = create({{"filename", "a.txt"}})["id"];
  const std::string unattached = uploaded("b.txt", "b");
  server_->advance_clock(kHour + std::chrono::minutes(1));
  EXPECT_EQ(retrieve(pending)["status"], "expired");
  EXPECT_EQ(retrieve(unattached)["status"], "expired");
  EXPECT_NE(send(pending, "a").message().find("expired"), std::string::npos);
  const std::string data_source = create_everything();
  const Reply refused = create_page(
      data_source, {{"Att", {{"files", json::array({{{"file_upload", {{"id", unattached}}}}})}}}});
  EXPECT_EQ(refused.code(), "validation_error");
  EXPECT_NE(refused.message().find("only an uploaded file upload can be attached"),
            std::string::npos);
  const Reply unknown = create_page(
      data_source,
      {{"Att",
        {{"files",
          json::array({{{"file_upload", {{"id", "7b0f3c1e-2a4d-4e5f-8a6b-9c0d1e2f3a4b"}}}}})}}}});
  EXPECT_NE(unknown.message().find("Could not find file_upload"), std::string::npos);

  const json expired = api_->get("/v1/file_uploads?status=expired").body;
  EXPECT_EQ(expired["results"].size(), 2u);
  EXPECT_EQ(api_->get("/v1/file_uploads?status=uploaded").body["results"].size(), 0u);
}

TEST_F(FileUploadsTest, ListsAreNewestFirstAndPaged) {
  const std::string first = uploaded("1.txt", "1");
  const std::string second = create({{"filename", "2.txt"}})["id"];
  const std::string third = uploaded("3.txt", "3");
  const Reply page = api_->get("/v1/file_uploads?page_size=2");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body["type"], "file_upload");
  EXPECT_EQ(page.body["file_upload"], json::object());
  ASSERT_EQ(page.body["results"].size(), 2u);
  EXPECT_EQ(page.body["results"][0]["id"], third);
  EXPECT_EQ(page.body["results"][1]["id"], second);
  EXPECT_EQ(page.body["has_more"], true);
  const Reply rest = api_->get("/v1/file_uploads?page_size=2&start_cursor=" +
                               page.body["next_cursor"].get<std::string>());
  EXPECT_EQ(rest.body["results"][0]["id"], first);
  EXPECT_EQ(api_->get("/v1/file_uploads?status=pending").body["results"].size(), 1u);
  EXPECT_EQ(api_->get("/v1/file_uploads?status=gone").code(), "validation_error");
  EXPECT_EQ(api_->get("/v1/file_uploads?page_size=101").code(), "validation_error");
}

TEST_F(FileUploadsTest, AnImportFromAnExternalUrlFails) {
  const json created = create({{"mode", "external_url"},
                               {"filename", "logo.png"},
                               {"external_url", "https://example.com/logo.png"}});
  EXPECT_EQ(created["status"], "failed");
  EXPECT_EQ(created["file_import_result"]["type"], "error");
  EXPECT_EQ(created["file_import_result"]["error"]["type"], "download_error");
  EXPECT_EQ(send(created["id"], "x").code(), "validation_error");
  EXPECT_EQ(
      api_->post("/v1/file_uploads", {{"mode", "external_url"}, {"filename", "a.png"}}).code(),
      "validation_error");
}

TEST_F(FileUploadsTest, UploadedImagesServeAsPageIconsAndCovers) {
  const std::string data_source = create_everything();
  const std::string png = uploaded("logo.png", "PNG");
  const Reply created =
      api_->post("/v1/pages", {{"parent", {{"data_source_id", data_source}}},
                               {"properties", json::object()},
                               {"icon", {{"type", "file_upload"}, {"file_upload", {{"id", png}}}}},
                               {"cover", {{"file_upload", {{"id", png}}}}}});
  ASSERT_EQ(created.status, 200) << created.body.dump();
  EXPECT_EQ(created.body["icon"]["type"], "file");
  EXPECT_EQ(created.body["cover"]["type"], "file");
  const auto icon = download(created.body["icon"]["file"]["url"]);
  ASSERT_TRUE(icon);
  EXPECT_EQ(icon->body, "PNG");
  EXPECT_EQ(icon->get_header_value("Content-Type"), "image/png");
  EXPECT_EQ(retrieve(png)["expiry_time"], nullptr);

  const std::string page = created.body["id"];
  const Reply emoji = api_->patch("/v1/pages/" + page, {{"icon", {{"emoji", "🚀"}}}});
  EXPECT_EQ(emoji.body["icon"], json({{"type", "emoji"}, {"emoji", "🚀"}}));
  const Reply pdf = api_->patch("/v1/pages/" + page,
                                {{"icon", {{"file_upload", {{"id", uploaded("a.pdf", "%PDF")}}}}}});
  EXPECT_NE(pdf.message().find("Page icons can't be PDFs"), std::string::npos) << pdf.message();
  const Reply text_cover = api_->patch(
      "/v1/pages/" + page, {{"cover", {{"file_upload", {{"id", uploaded("a.txt", "t")}}}}}});
  EXPECT_NE(text_cover.message().find("must be an image"), std::string::npos);
  // Databases keep emoji and external icons only.
  EXPECT_EQ(api_->patch("/v1/databases/" + api_->get("/v1/data_sources/" + data_source)
                                               .body["parent"]["database_id"]
                                               .get<std::string>(),
                        {{"icon", {{"file_upload", {{"id", png}}}}}})
                .code(),
            "validation_error");
}

TEST_F(FileUploadsTest, DownloadLinksExpireAfterAnHour) {
  const std::string data_source = create_everything();
  const json page = attach_to_new_page(
      data_source, json::array({{{"file_upload", {{"id", uploaded("a.txt", "a")}}}}}));
  const std::string url = page["properties"]["Att"]["files"][0]["file"]["url"];
  server_->advance_clock(kHour + std::chrono::minutes(1));
  const auto expired = download(url);
  ASSERT_TRUE(expired);
  EXPECT_EQ(expired->status, 403);
  // Reading the page again gives a fresh link.
  const json again = api_->get("/v1/pages/" + page["id"].get<std::string>()).body;
  const auto fresh = download(again["properties"]["Att"]["files"][0]["file"]["url"]);
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->status, 200);
  EXPECT_EQ(server_->count("GET", "/files/"), 0u) << "downloads are not API requests";
}

TEST_F(FileUploadsTest, UploadsSurviveARestartWithAStateFile) {
  const std::string state = (std::filesystem::temp_directory_path() /
                             ("file-uploads-state-" + std::to_string(::getpid()) + ".json"))
                                .string();
  server_->stop();
  Options options;
  options.rate = 0;
  options.state_path = state;
  server_ = std::make_unique<Server>(options);
  server_->start();
  api_ = std::make_unique<Api>(*server_);
  const std::string data_source = create_everything();
  const std::string id = uploaded("kept.txt", std::string("\0\1\2 kept", 8));
  const std::string page =
      attach_to_new_page(data_source, json::array({{{"file_upload", {{"id", id}}}}}))["id"];
  server_->stop();
  server_ = std::make_unique<Server>(options);
  server_->start();
  api_ = std::make_unique<Api>(*server_);
  EXPECT_EQ(retrieve(id)["status"], "uploaded");
  const json reread = api_->get("/v1/pages/" + page).body;
  const auto bytes = download(reread["properties"]["Att"]["files"][0]["file"]["url"]);
  ASSERT_TRUE(bytes);
  EXPECT_EQ(bytes->body, std::string("\0\1\2 kept", 8));
  server_->stop();
  std::filesystem::remove(state);
}

}  // namespace
}  // namespace notion_emulator::testing
