// SPDX-License-Identifier: MIT
// Serves the built web app from a directory: content types, caching headers, ETags and the
// single-page-app fallback to index.html. No sockets here, so it is tested on its own.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "http/message.h"

namespace salesbox::http::internal {

class StaticFiles {
 public:
  // Serves files under `web_dir`. kInvalidArgument if it is not an existing directory.
  static Result<StaticFiles> Open(const std::string& web_dir);

  // Answers `request` from the directory:
  //  * GET and HEAD only (405 otherwise); the body is filled for HEAD too, the server drops it.
  //  * A regular file under the directory, symlinks resolved, is served with its Content-Type
  //    (by extension), an ETag (size and modification time) and Cache-Control: immutable for a
  //    year under /assets/ (the build puts content hashes in those names), no-cache elsewhere.
  //    If-None-Match with the current ETag answers 304.
  //  * A path whose last segment has no extension and that is not a file answers index.html
  //    (client-side routes such as /accounts/7).
  //  * Anything else, a path that leaves the directory (through a symlink too), and hidden files
  //    (a segment starting with '.') answer 404 with the JSON error.
  // REQUIRES: request.path starts with '/' and is percent-decoded.
  // Thread-safe (const, and only reads the file system).
  Response Serve(const Request& request) const;

  // The Content-Type for a file name, by its extension; application/octet-stream if unknown.
  static std::string_view ContentType(std::string_view file_name);

 private:
  StaticFiles(std::string root) : root_(std::move(root)) {}

  std::string root_;  // canonical, without a trailing '/'
};

}  // namespace salesbox::http::internal
