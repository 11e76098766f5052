// SPDX-License-Identifier: MIT
// SB_RETURN_IF_ERROR and SB_ASSIGN_OR_RETURN, in abseil's shape.
#pragma once

#include "common/result.h"
#include "common/status.h"

#define SB_INTERNAL_CONCAT_IMPL(a, b) a##b
#define SB_INTERNAL_CONCAT(a, b) SB_INTERNAL_CONCAT_IMPL(a, b)

// Evaluates `expr` (a Status); returns it from the enclosing function when it is not OK.
#define SB_RETURN_IF_ERROR(expr) \
  SB_INTERNAL_RETURN_IF_ERROR(SB_INTERNAL_CONCAT(sb_internal_status_, __LINE__), expr)
#define SB_INTERNAL_RETURN_IF_ERROR(status, expr) \
  do {                                            \
    ::salesbox::Status status = (expr);           \
    if (!status.ok()) return status;              \
  } while (false)

// Evaluates `expr` (a Result<T>); on error returns its Status, else moves the value into `lhs`,
// which may be a declaration (`SB_ASSIGN_OR_RETURN(Account a, store.Get(id));`).
#define SB_ASSIGN_OR_RETURN(lhs, expr) \
  SB_INTERNAL_ASSIGN_OR_RETURN(SB_INTERNAL_CONCAT(sb_internal_result_, __LINE__), lhs, expr)

#define SB_INTERNAL_ASSIGN_OR_RETURN(result, lhs, expr) \
  auto result = (expr);                                 \
  if (!result.ok()) return std::move(result).status();  \
  lhs = std::move(result).value()
