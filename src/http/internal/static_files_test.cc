// SPDX-License-Identifier: MIT
// Tests for StaticFiles without sockets: content types, caching headers, ETag/304, the SPA
// fallback and everything that must stay invisible (hidden files, symlinks out of the root).
#include "http/internal/static_files.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace salesbox::http::internal {
namespace {

namespace fs = std::filesystem;
using ::salesbox::test::StatusIs;

std::string HeaderOf(const Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return {};
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("salesbox_static_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    root_ = base_ / "dist";
    fs::create_directories(root_ / "assets");
    Write(root_ / "index.html", "<!doctype html><title>salesbox</title>");
    Write(root_ / "assets" / "app-1a2b.js", "console.log(1)");
    Write(root_ / "assets" / "app-1a2b.css", "body{}");
    Write(root_ / "favicon.ico", "ico");
    Write(root_ / ".env", "SECRET=1");
    Write(base_ / "secret.txt", "outside");
    fs::create_symlink(base_ / "secret.txt", root_ / "leak.txt");
    fs::create_symlink(base_, root_ / "up");
    SB_ASSERT_OK_AND_ASSIGN(files_, StaticFiles::Open(root_.string()));
  }
  void TearDown() override { fs::remove_all(base_); }

  static void Write(const fs::path& path, const std::string& content) {
    std::ofstream(path, std::ios::binary) << content;
  }

  Response Get(std::string path, std::string if_none_match = "", std::string method = "GET") {
    Request request;
    request.method = std::move(method);
    request.path = std::move(path);
    if (!if_none_match.empty()) request.headers.emplace_back("if-none-match", if_none_match);
    return files_->Serve(request);
  }

  fs::path base_;
  fs::path root_;
  std::optional<StaticFiles> files_;
};

TEST_F(StaticFilesTest, OpenRefusesAMissingDirectory) {
  EXPECT_THAT(StaticFiles::Open((base_ / "nope").string()), StatusIs(StatusCode::kInvalidArgument));
}

TEST_F(StaticFilesTest, ContentTypesByExtension) {
  EXPECT_EQ(StaticFiles::ContentType("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentType("a/b.JS"), "text/javascript; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentType("m.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentType("s.css"), "text/css; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentType("i.svg"), "image/svg+xml");
  EXPECT_EQ(StaticFiles::ContentType("i.png"), "image/png");
  EXPECT_EQ(StaticFiles::ContentType("d.json"), "application/json");
  EXPECT_EQ(StaticFiles::ContentType("f.woff2"), "font/woff2");
  EXPECT_EQ(StaticFiles::ContentType("favicon.ico"), "image/x-icon");
  EXPECT_EQ(StaticFiles::ContentType("app.js.map"), "application/json");
  EXPECT_EQ(StaticFiles::ContentType("robots.txt"), "text/plain; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentType("blob.bin"), "application/octet-stream");
  EXPECT_EQ(StaticFiles::ContentType("Makefile"), "application/octet-stream");
}

TEST_F(StaticFilesTest, ServesAssetsImmutableAndIndexNoCache) {
  const Response asset = Get("/assets/app-1a2b.js");
  EXPECT_EQ(asset.status, 200);
  EXPECT_EQ(asset.body, "console.log(1)");
  EXPECT_EQ(HeaderOf(asset, "Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(HeaderOf(asset, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_THAT(HeaderOf(asset, "ETag"), ::testing::MatchesRegex("\"[0-9a-f]+-[0-9a-f]+\""));

  for (const char* path : {"/", "/index.html"}) {
    const Response index = Get(path);
    EXPECT_EQ(index.status, 200) << path;
    EXPECT_THAT(index.body, ::testing::HasSubstr("<title>salesbox</title>")) << path;
    EXPECT_EQ(HeaderOf(index, "Content-Type"), "text/html; charset=utf-8") << path;
    EXPECT_EQ(HeaderOf(index, "Cache-Control"), "no-cache") << path;
  }
}

TEST_F(StaticFilesTest, IfNoneMatchAnswers304) {
  const std::string etag = HeaderOf(Get("/assets/app-1a2b.css"), "ETag");
  ASSERT_FALSE(etag.empty());
  for (const std::string& header : {etag, "W/" + etag, "\"other\", " + etag, std::string("*")}) {
    const Response response = Get("/assets/app-1a2b.css", header);
    EXPECT_EQ(response.status, 304) << header;
    EXPECT_TRUE(response.body.empty());
    EXPECT_EQ(HeaderOf(response, "ETag"), etag);
  }
  EXPECT_EQ(Get("/assets/app-1a2b.css", "\"stale\"").status, 200);
}

TEST_F(StaticFilesTest, SpaFallbackOnlyForPathsWithoutExtension) {
  for (const char* path : {"/accounts/7", "/accounts", "/assets", "/pipeline/board/"}) {
    const Response response = Get(path);
    EXPECT_EQ(response.status, 200) << path;
    EXPECT_EQ(HeaderOf(response, "Content-Type"), "text/html; charset=utf-8") << path;
    EXPECT_EQ(HeaderOf(response, "Cache-Control"), "no-cache") << path;
  }
  const Response missing = Get("/assets/missing-9f9f.js");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(HeaderOf(missing, "Content-Type"), "application/json");
  EXPECT_THAT(missing.body, ::testing::HasSubstr(R"("code":"not_found")"));
}

TEST_F(StaticFilesTest, HiddenFilesAndSymlinksOutOfTheRootAreNotFound) {
  EXPECT_EQ(Get("/.env").status, 404);
  EXPECT_EQ(Get("/leak.txt").status, 404);
  EXPECT_EQ(Get("/up/secret.txt").status, 404);
}

TEST_F(StaticFilesTest, OnlyGetAndHead) {
  EXPECT_EQ(Get("/index.html", "", "HEAD").status, 200);
  const Response post = Get("/index.html", "", "POST");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(HeaderOf(post, "Allow"), "GET, HEAD");
}

}  // namespace
}  // namespace salesbox::http::internal
