#pragma once
/// multipart/form-data (RFC 7578) parsed from a body already in memory: no disk, no streaming,
/// bounded by the route's body limit and by the limits below. File names are returned as
/// sent, for information only — nothing here (or in its callers) uses them as paths.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace hqadz::http {

struct MultipartPart {
  std::string name;                     // the form field
  std::optional<std::string> filename;  // present for file fields (untrusted, never a path)
  std::string content_type;             // empty when not sent
  std::string body;
};

struct MultipartLimits {
  size_t max_parts = 16;
  size_t max_header_bytes = 8 * 1024;  // all headers of one part
};

/// The boundary of a "multipart/form-data; boundary=..." Content-Type. Errors:
/// unsupported_media_type (not multipart/form-data), bad_multipart (no or bad boundary).
core::Result<std::string> multipart_boundary(std::string_view content_type);

/// Every part of `body`. Error code bad_multipart with a message saying what is wrong
/// (missing first boundary, unterminated part, header too long, no name, too many parts...).
core::Result<std::vector<MultipartPart>> parse_multipart(std::string_view body,
                                                         std::string_view boundary,
                                                         const MultipartLimits& limits = {});

/// The one part named `name`: nullptr when absent; error bad_multipart when sent twice.
core::Result<const MultipartPart*> find_part(const std::vector<MultipartPart>& parts,
                                             std::string_view name);

}  // namespace hqadz::http
