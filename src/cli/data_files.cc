#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/cli.h"
#include "kalm/embedded.h"

namespace kalm::cli {

StatusOr<std::vector<core::DataFile>> LoadDataFiles(
    const std::string& dir, std::deque<std::string>* storage,
    bool with_models) {
  std::vector<core::DataFile> files;
  auto wanted = [&](const std::string& rel) {
    if (!with_models && rel.rfind("model/", 0) == 0) return false;
    return rel.size() > 4 && rel.substr(rel.size() - 4) == ".tsv";
  };
  if (dir.empty()) {
    for (const EmbeddedFile& f : data::EmbeddedFiles()) {
      const std::string rel(f.path);
      if (wanted(rel)) files.push_back({rel, f.content});
    }
    return files;
  }
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return NotFoundError("data directory '" + dir + "' does not exist");
  }
  std::vector<fs::path> paths;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file()) paths.push_back(it->path());
  }
  if (ec) return UnavailableError("cannot read '" + dir + "': " + ec.message());
  std::sort(paths.begin(), paths.end());
  for (const fs::path& p : paths) {
    const std::string rel = fs::relative(p, dir).generic_string();
    if (!wanted(rel)) continue;
    std::ifstream in(p, std::ios::binary);
    if (!in) return UnavailableError("cannot read " + p.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    storage->push_back(ss.str());
    files.push_back({rel, storage->back()});
  }
  return files;
}

StatusOr<std::unique_ptr<core::Analyzer>> MakeAnalyzer(const std::string& dir,
                                                       bool with_models,
                                                       bool lazy) {
  std::deque<std::string> storage;
  auto files = LoadDataFiles(dir, &storage, with_models);
  if (!files.ok()) return files.status();
  core::Analyzer::BuildOptions options;
  options.lazy = lazy;
  return core::Analyzer::Build(*files, options);
}

StatusOr<Coach> MakeCoach(const std::string& dir, bool with_reviewer,
                          bool lazy) {
  std::deque<std::string> storage;
  auto files = LoadDataFiles(dir, &storage);
  if (!files.ok()) return files.status();
  core::Analyzer::BuildOptions options;
  options.lazy = lazy;
  auto analyzer = core::Analyzer::Build(*files, options);
  if (!analyzer.ok()) return analyzer.status();
  Coach c;
  c.analyzer = std::move(*analyzer);
  if (with_reviewer) {
    auto reviewer = core::Reviewer::Build(*c.analyzer, *files);
    if (!reviewer.ok()) return reviewer.status();
    c.reviewer = std::move(*reviewer);
  } else {
    auto lib = core::PhraseLibrary::Build(*files);
    if (!lib.ok()) return lib.status();
    c.phrases_ = std::make_unique<core::PhraseLibrary>(std::move(*lib));
  }
  return c;
}

}  // namespace kalm::cli
