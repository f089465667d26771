// The HTML view at `/`: rendering (escaping, the trash section, values as text) and how the server
// serves it (no token, never logged or rate limited, fresh on every request).
#include "html_view.hpp"

#include <gtest/gtest.h>

#include "api_client.hpp"
#include "workspace_view.hpp"

namespace notion_emulator::testing {
namespace {

WorkspaceView one_table(std::vector<ViewRow> rows, std::vector<ViewRow> trashed_rows) {
  ViewDataSource source{"ds-1",          "People",        false,
                        {"Name", "Age"}, std::move(rows), std::move(trashed_rows)};
  return WorkspaceView{{ViewDatabase{"db-1", "People", false, {std::move(source)}}}};
}

TEST(HtmlViewTest, EscapesEveryTextFromTheWorkspace) {
  WorkspaceView view = one_table({{"p-1", {"<script>alert('x')</script>", "a & \"b\""}}}, {});
  view.databases[0].title = "<b>Bold</b>";
  view.databases[0].data_sources[0].columns[0] = "<th>";
  const std::string html = render_html(view);
  EXPECT_EQ(html.find("<script>"), std::string::npos) << html;
  EXPECT_EQ(html.find("<b>"), std::string::npos) << html;
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("a &amp; &quot;b&quot;"), std::string::npos);
  EXPECT_NE(html.find("<th>&lt;th&gt;</th>"), std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;Bold&lt;/b&gt;"), std::string::npos);
}

TEST(HtmlViewTest, EscapeHtmlReplacesTheFiveSpecialCharacters) {
  EXPECT_EQ(escape_html(R"(<a href="x">Tom & Jerry's</a>)"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  EXPECT_EQ(escape_html("plain é"), "plain é");
}

TEST(HtmlViewTest, TrashedPagesAppearInTheirOwnSectionAfterTheLiveRows) {
  const std::string html =
      render_html(one_table({{"p-1", {"Ada", "36"}}}, {{"p-2", {"Alan", "41"}}}));
  const auto live_table = html.find("<table class=\"pages\">");
  const auto ada = html.find("<td>Ada</td>");
  const auto trash = html.find("<section class=\"trash\">");
  const auto trashed_table = html.find("<table class=\"trashed-pages\">");
  const auto alan = html.find("<td>Alan</td>");
  ASSERT_NE(live_table, std::string::npos) << html;
  ASSERT_NE(trash, std::string::npos) << html;
  EXPECT_LT(live_table, ada);
  EXPECT_LT(ada, trash);
  EXPECT_LT(trash, trashed_table);
  EXPECT_LT(trashed_table, alan);
  EXPECT_NE(html.find("In the trash (1)"), std::string::npos);
  EXPECT_NE(html.find("<tr data-page-id=\"p-2\"><td>Alan</td><td>41</td></tr>"), std::string::npos);
}

TEST(HtmlViewTest, SaysWhenThereIsNothingToShow) {
  EXPECT_NE(render_html(WorkspaceView{}).find("No databases yet."), std::string::npos);
  const std::string html = render_html(one_table({}, {}));
  EXPECT_NE(html.find("No pages."), std::string::npos);
  EXPECT_NE(html.find("In the trash (0)"), std::string::npos);
  EXPECT_EQ(html.find("<table"), std::string::npos);
}

TEST(HtmlViewTest, ValuesReadAsText) {
  const auto title_of = [](const std::string& id) { return id == "t-1" ? "Navy" : id; };
  const struct {
    std::string type;
    json value;
    std::string text;
  } cases[] = {
      {"title", json::array({{{"plain_text", "Grace"}}, {{"plain_text", " Hopper"}}}),
       "Grace Hopper"},
      {"number", 86.0, "86"},
      {"number", 2.5, "2.5"},
      {"number", nullptr, ""},
      {"checkbox", true, "Yes"},
      {"checkbox", false, "No"},
      {"select", {{"name", "Red"}}, "Red"},
      {"multi_select", json::array({{{"name", "a"}}, {{"name", "b"}}}), "a, b"},
      {"date", {{"start", "2026-01-01"}, {"end", nullptr}}, "2026-01-01"},
      {"date", {{"start", "2026-01-01"}, {"end", "2026-01-03"}}, "2026-01-01 → 2026-01-03"},
      {"relation", json::array({{{"id", "t-1"}}, {{"id", "t-2"}}}), "Navy, t-2"},
      {"email", "a@example.com", "a@example.com"},
      {"unique_id", {{"prefix", "ROW"}, {"number", 7}}, "ROW-7"},
      {"formula", {{"type", "string"}, {"string", nullptr}}, ""},
      {"rollup", {{"type", "number"}, {"number", 3}}, "3"},
  };
  for (const auto& [type, value, text] : cases) {
    EXPECT_EQ(value_text(type, value, title_of), text) << type << " " << value.dump();
  }
}

class HtmlViewServerTest : public EmulatorTest {};

TEST_F(HtmlViewServerTest, ServesTheLiveWorkspaceWithoutTokenLogOrRateLimit) {
  const std::string people = create_database(
      "People", {{"Name", {{"title", json::object()}}}, {"Age", {{"number", json::object()}}}});
  create_row(people, {{"Name", {{"title", text("Ada <Lovelace>")}}}, {"Age", {{"number", 36}}}});
  const std::string gone = create_row(people, {{"Name", {{"title", text("Alan")}}}});
  ASSERT_EQ(api_->patch("/v1/pages/" + gone, {{"in_trash", true}}).status, 200);
  server_->reset_requests();
  server_->set_rate(0.001, 1);  // one request, then 429 for a long time
  ASSERT_EQ(api_->get("/v1/users/me").status, 200);
  ASSERT_EQ(api_->get("/v1/users/me").status, 429);
  server_->reset_requests();

  httplib::Client browser(server_->base_url());
  const auto first = browser.Get("/");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(first->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(first->get_header_value("Cache-Control"), "no-store");
  EXPECT_NE(first->body.find("<td>Ada &lt;Lovelace&gt;</td><td>36</td>"), std::string::npos)
      << first->body;
  EXPECT_NE(first->body.find("In the trash (1)"), std::string::npos);

  server_->set_rate(0, 1);
  create_row(people, {{"Name", {{"title", text("Grace")}}}});
  server_->reset_requests();
  const auto reloaded = browser.Get("/");
  ASSERT_TRUE(reloaded);
  EXPECT_NE(reloaded->body.find("<td>Grace</td>"), std::string::npos);
  EXPECT_EQ(browser.Get("/favicon.ico")->status, 404);
  EXPECT_TRUE(server_->requests().empty());
}

}  // namespace
}  // namespace notion_emulator::testing
