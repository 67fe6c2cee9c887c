// Files compiled into the kalm binary (lexicons, phrase library, web assets).
//
// Each embedding target (see cmake/EmbedFiles.cmake) generates a function
// `<namespace>::EmbeddedFiles()` returning its table. The data is immutable and
// static, so it is safe to read from any thread.
#pragma once

#include <span>
#include <string_view>

namespace kalm {

struct EmbeddedFile {
  std::string_view path;     // relative to the embedded root, '/'-separated
  std::string_view content;  // raw bytes
};

}  // namespace kalm

namespace kalm::data {
// The project's data/ folder (lexicons, language profiles, advice texts).
std::span<const ::kalm::EmbeddedFile> EmbeddedFiles();
}  // namespace kalm::data

namespace kalm::server_assets {
// Files the server serves: the OpenAPI document (src/server/openapi.json).
std::span<const ::kalm::EmbeddedFile> EmbeddedFiles();
}  // namespace kalm::server_assets

namespace kalm::web_assets {
// The browser UI, built from web/ by esbuild: index.html and assets/*.
std::span<const ::kalm::EmbeddedFile> EmbeddedFiles();
}  // namespace kalm::web_assets
