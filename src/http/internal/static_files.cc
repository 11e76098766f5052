// SPDX-License-Identifier: MIT
// Design notes. Path safety does not rely on string checks alone: the server has already refused
// ".." segments, hidden segments are refused here, and then the joined path is resolved with
// realpath semantics (std::filesystem::canonical) and must still lie under the canonical root,
// so a symlink that points out of the directory is as invisible as a missing file. Files are
// read whole on every request: the web app's files are small, the page cache keeps them, and a
// rebuilt app is served at once without a restart. The ETag is size + modification time in
// nanoseconds (as nginx does), which needs no read of the file to answer a 304.
#include "http/internal/static_files.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <system_error>

namespace salesbox::http::internal {
namespace {

namespace fs = std::filesystem;

struct FileInfo {
  std::string path;  // canonical
  uint64_t size = 0;
  std::string etag;
};

std::string_view Extension(std::string_view file_name) {
  const size_t slash = file_name.rfind('/');
  if (slash != std::string_view::npos) file_name.remove_prefix(slash + 1);
  const size_t dot = file_name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return {};
  return file_name.substr(dot + 1);
}

// True if an If-None-Match header value matches `etag` (RFC 7232 section 3.2: weak comparison).
bool EtagMatches(std::string_view if_none_match, std::string_view etag) {
  while (!if_none_match.empty()) {
    const size_t comma = if_none_match.find(',');
    std::string_view candidate = if_none_match.substr(0, comma);
    if_none_match =
        comma == std::string_view::npos ? std::string_view() : if_none_match.substr(comma + 1);
    while (!candidate.empty() && (candidate.front() == ' ' || candidate.front() == '\t')) {
      candidate.remove_prefix(1);
    }
    while (!candidate.empty() && (candidate.back() == ' ' || candidate.back() == '\t')) {
      candidate.remove_suffix(1);
    }
    if (candidate == "*") return true;
    if (candidate.substr(0, 2) == "W/") candidate.remove_prefix(2);
    if (candidate == etag) return true;
  }
  return false;
}

std::optional<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  return content;
}

Response NotFound(std::string_view path) {
  std::string message = "no such file: ";
  message += path;
  return Response::Error(404, "not_found", message);
}

}  // namespace

Result<StaticFiles> StaticFiles::Open(const std::string& web_dir) {
  std::error_code ec;
  const fs::path root = fs::canonical(web_dir, ec);
  if (ec || !fs::is_directory(root, ec)) {
    return Status::InvalidArgument("web directory " + web_dir + " is not a directory");
  }
  return StaticFiles(root.string());
}

std::string_view StaticFiles::ContentType(std::string_view file_name) {
  struct Type {
    std::string_view extension;
    std::string_view content_type;
  };
  static constexpr Type kTypes[] = {
      {"html", "text/html; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"json", "application/json"},
      {"map", "application/json"},
      {"woff2", "font/woff2"},
      {"woff", "font/woff"},
      {"ico", "image/x-icon"},
      {"txt", "text/plain; charset=utf-8"},
      {"webmanifest", "application/manifest+json"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"webp", "image/webp"},
      {"gif", "image/gif"},
  };
  const std::string_view extension = Extension(file_name);
  for (const Type& type : kTypes) {
    if (type.extension.size() != extension.size()) continue;
    bool same = true;
    for (size_t i = 0; i < extension.size() && same; ++i) {
      const char c = extension[i];
      same = (c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) == type.extension[i];
    }
    if (same) return type.content_type;
  }
  return "application/octet-stream";
}

Response StaticFiles::Serve(const Request& request) const {
  if (request.method != "GET" && request.method != "HEAD") {
    Response response = Response::Error(405, "method_not_allowed",
                                        request.method + " is not allowed on static files");
    response.headers.emplace_back("Allow", "GET, HEAD");
    return response;
  }

  // Rebuild the relative path from its segments: empty segments ("//") go, and a segment starting
  // with '.' (".", "..", ".git", ".env") is never served.
  std::string relative;
  std::string_view last_segment;
  std::string_view rest = request.path;
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (segment.empty()) continue;
    if (segment.front() == '.') return NotFound(request.path);
    if (!relative.empty()) relative += '/';
    relative += segment;
    last_segment = segment;
  }

  auto find_file = [this](const std::string& relative_path) -> std::optional<FileInfo> {
    std::error_code ec;
    const fs::path canonical = fs::canonical(fs::path(root_) / relative_path, ec);
    if (ec) return std::nullopt;
    std::string path = canonical.string();
    if (path.size() <= root_.size() || path.compare(0, root_.size(), root_) != 0 ||
        path[root_.size()] != '/') {
      return std::nullopt;  // outside the root, or the root itself
    }
    struct stat st;
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    const uint64_t mtime_ns =
        static_cast<uint64_t>(st.st_mtim.tv_sec) * 1000000000u + st.st_mtim.tv_nsec;
    char etag[48];
    std::snprintf(etag, sizeof(etag), "\"%llx-%llx\"", static_cast<unsigned long long>(st.st_size),
                  static_cast<unsigned long long>(mtime_ns));
    return FileInfo{std::move(path), static_cast<uint64_t>(st.st_size), etag};
  };

  std::optional<FileInfo> file;
  bool fallback = false;
  if (!relative.empty()) file = find_file(relative);
  if (!file) {
    if (!Extension(last_segment).empty()) return NotFound(request.path);
    file = find_file("index.html");
    fallback = true;
    if (!file) return NotFound(request.path);
  }

  // Hashed build output under /assets/ never changes under the same name; everything else
  // (index.html above all, which names the current assets) is revalidated on every use.
  const bool immutable = !fallback && request.path.rfind("/assets/", 0) == 0;
  const char* cache_control = immutable ? "public, max-age=31536000, immutable" : "no-cache";

  const std::string_view if_none_match = request.Header("if-none-match");
  if (!if_none_match.empty() && EtagMatches(if_none_match, file->etag)) {
    Response response = Response::Empty(304);
    response.headers.emplace_back("ETag", file->etag);
    response.headers.emplace_back("Cache-Control", cache_control);
    response.route = "static";
    return response;
  }

  std::optional<std::string> content = ReadWholeFile(file->path);
  if (!content) {
    // Vanished or unreadable between stat and open: a server-side problem, not a missing route.
    return Response::Error(500, "internal", "cannot read " + std::string(request.path));
  }
  Response response;
  response.status = 200;
  response.headers.emplace_back("Content-Type", std::string(ContentType(file->path)));
  response.headers.emplace_back("ETag", file->etag);
  response.headers.emplace_back("Cache-Control", cache_control);
  response.body = std::move(*content);
  response.route = "static";
  return response;
}

}  // namespace salesbox::http::internal
