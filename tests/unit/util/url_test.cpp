#include "util/url.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace notionsync::util {
namespace {

TEST(PercentEncode, KeepsUnreservedCharactersAndEncodesEveryOtherByteInUpperCaseHex) {
  EXPECT_EQ(percent_encode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(percent_encode("a b/c?d=e&f"), "a%20b%2Fc%3Fd%3De%26f");
  EXPECT_EQ(percent_encode("U:C<"), "U%3AC%3C");
  EXPECT_EQ(percent_encode("é"), "%C3%A9");
  EXPECT_EQ(percent_encode(std::string("a\0b", 3)), "a%00b");
  EXPECT_EQ(percent_encode(""), "");
}

TEST(PercentDecode, DecodesHexPairsInEitherCaseAndLeavesAnythingElseAsWritten) {
  EXPECT_EQ(percent_decode("U%3AC%3c"), "U:C<");
  EXPECT_EQ(percent_decode("p%40ss"), "p@ss");
  EXPECT_EQ(percent_decode("a%00b"), std::string("a\0b", 3));
  EXPECT_EQ(percent_decode("100%"), "100%");
  EXPECT_EQ(percent_decode("%4"), "%4");
  EXPECT_EQ(percent_decode("%zz%4g"), "%zz%4g");
  EXPECT_EQ(percent_decode("a+b"), "a+b");  // '+' is not a space outside forms
  EXPECT_EQ(percent_decode(""), "");
}

TEST(PercentEncoding, DecodingWhatWasEncodedGivesTheTextBack) {
  std::string every_byte;
  for (int byte = 0; byte < 256; ++byte) every_byte += static_cast<char>(byte);
  EXPECT_EQ(percent_decode(percent_encode(every_byte)), every_byte);
}

TEST(UrlWithQuery, SetsTheQueryAsWritten) {
  EXPECT_EQ(url_with_query("http://127.0.0.1:8080/v1/x", "a=1&b=%2F"),
            "http://127.0.0.1:8080/v1/x?a=1&b=%2F");
  EXPECT_EQ(url_with_query("https://api.notion.com/v1/users?old=1#top", "page_size=100"),
            "https://api.notion.com/v1/users?page_size=100");
}

TEST(UrlWithQuery, AnEmptyQueryLeavesNone) {
  EXPECT_EQ(url_with_query("https://api.notion.com/v1/users/me", ""),
            "https://api.notion.com/v1/users/me");
  EXPECT_EQ(url_with_query("https://api.notion.com/v1/users?old=1", ""),
            "https://api.notion.com/v1/users");
}

TEST(UrlWithQuery, RefusesWhatLibcurlCannotRead) {
  EXPECT_THROW(url_with_query("not a url", "a=1"), std::invalid_argument);
  EXPECT_THROW(url_with_query("http://exa mple.com/v1", "a=1"), std::invalid_argument);
}

}  // namespace
}  // namespace notionsync::util
