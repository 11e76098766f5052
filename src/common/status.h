// SPDX-License-Identifier: MIT
// Status: the outcome of an operation that can fail because of its input, the stored state or the
// environment. Errors are values (leveldb, abseil); salesbox code never throws.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace salesbox {

// Choose the code by what the caller should do about it (see STYLE.md B4).
enum class StatusCode {
  kOk,
  kInvalidArgument,     // malformed input: fix the input
  kNotFound,            // the thing asked for does not exist
  kAlreadyExists,       // a unique key is taken
  kFailedPrecondition,  // the state forbids the operation
  kAborted,             // stale version or serialization failure: retry the transaction
  kUnauthenticated,
  kPermissionDenied,
  kResourceExhausted,  // a quota or rate limit (sign-in throttling): retry later
  kUnavailable,  // the database is busy or unreachable: retry the call
  kUnimplemented,
  kInternal,
};

// Returns the snake_case name of `code` ("not_found"), as used on the wire.
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string message) {
    return Status(StatusCode::kInvalidArgument, std::move(message));
  }
  static Status NotFound(std::string message) {
    return Status(StatusCode::kNotFound, std::move(message));
  }
  static Status AlreadyExists(std::string message) {
    return Status(StatusCode::kAlreadyExists, std::move(message));
  }
  static Status FailedPrecondition(std::string message) {
    return Status(StatusCode::kFailedPrecondition, std::move(message));
  }
  static Status Aborted(std::string message) {
    return Status(StatusCode::kAborted, std::move(message));
  }
  static Status Unauthenticated(std::string message) {
    return Status(StatusCode::kUnauthenticated, std::move(message));
  }
  static Status PermissionDenied(std::string message) {
    return Status(StatusCode::kPermissionDenied, std::move(message));
  }
  static Status ResourceExhausted(std::string message) {
    return Status(StatusCode::kResourceExhausted, std::move(message));
  }
  static Status Unavailable(std::string message) {
    return Status(StatusCode::kUnavailable, std::move(message));
  }
  static Status Unimplemented(std::string message) {
    return Status(StatusCode::kUnimplemented, std::move(message));
  }
  static Status Internal(std::string message) {
    return Status(StatusCode::kInternal, std::move(message));
  }

  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is "`context`: <message>"; OK stays OK.
  Status WithContext(std::string_view context) const;

  // The input field at fault ("close_date"), when one is; the API reports it to the client.
  const std::string& field() const { return field_; }
  // Returns a copy naming `field` as the one at fault; OK stays OK.
  Status WithField(std::string field) const;

  // "not_found: opportunity 42 does not exist", or "ok".
  std::string ToString() const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_ && a.field_ == b.field_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string field_;
};

}  // namespace salesbox
