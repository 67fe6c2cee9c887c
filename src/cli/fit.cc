// `kalm fit`: fits the small linear models over the analyzer's features on the
// training part of labelled corpora, and writes their weights as data files.
// Only numeric weights leave the corpora: no word, phrase or text is written.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <set>
#include <sstream>

#include "cli/cli.h"

namespace kalm::cli {
namespace {

struct Dataset {
  std::vector<std::vector<double>> x;
  std::vector<double> y;
};

// Full-batch Adam on squared error (linear) or log loss (logistic), with L2.
std::vector<double> Train(const Dataset& d, bool logistic, double l2,
                          int epochs) {
  const size_t k = d.x.empty() ? 0 : d.x[0].size();
  std::vector<double> w(k + 1, 0.0), m(k + 1, 0.0), v(k + 1, 0.0), g(k + 1);
  const double lr = 0.05, b1 = 0.9, b2 = 0.999, eps = 1e-8;
  const double n = static_cast<double>(d.y.size());
  for (int e = 1; e <= epochs; ++e) {
    std::fill(g.begin(), g.end(), 0.0);
    for (size_t i = 0; i < d.y.size(); ++i) {
      double z = w[k];
      for (size_t j = 0; j < k; ++j) z += w[j] * d.x[i][j];
      const double p = logistic ? 1.0 / (1.0 + std::exp(-z)) : z;
      const double r = p - d.y[i];
      for (size_t j = 0; j < k; ++j) g[j] += r * d.x[i][j];
      g[k] += r;
    }
    for (size_t j = 0; j <= k; ++j) {
      g[j] /= n;
      if (j < k) g[j] += l2 * w[j];
      m[j] = b1 * m[j] + (1 - b1) * g[j];
      v[j] = b2 * v[j] + (1 - b2) * g[j] * g[j];
      const double mh = m[j] / (1 - std::pow(b1, e));
      const double vh = v[j] / (1 - std::pow(b2, e));
      w[j] -= lr * mh / (std::sqrt(vh) + eps);
    }
  }
  return w;
}

Status WriteModel(const std::string& path, const std::string& what,
                  const std::vector<double>& w,
                  const std::vector<std::string>& sources, size_t rows) {
  std::ofstream out(path + ".tmp");
  if (!out) return UnavailableError("cannot write " + path);
  out << "# " << what << "\n";
  out << "# Fitted by `kalm fit` on the training part (rows whose id hash is "
         "not in\n";
  out << "# the dev fifth) of: ";
  for (size_t i = 0; i < sources.size(); ++i)
    out << (i ? ", " : "")
        << std::filesystem::path(sources[i]).filename().string();
  out << " (" << rows
      << " rows).\n# See README.md, 'How the model weights are made'.\n";
  out << "bias\t" << fmt::format("{:.6f}", w.back()) << "\n";
  const auto& names = core::Analyzer::FeatureNames();
  for (size_t j = 0; j + 1 < w.size(); ++j) {
    if (std::abs(w[j]) < 1e-6) continue;
    out << names[j] << "\t" << fmt::format("{:.6f}", w[j]) << "\n";
  }
  out.close();
  std::error_code ec;
  std::filesystem::rename(path + ".tmp", path, ec);
  if (ec) return UnavailableError("cannot write " + path + ": " + ec.message());
  return Status::Ok();
}

}  // namespace

int RunFit(const core::Analyzer& analyzer, const FitOptions& o,
           std::ostream& out, std::ostream& err) {
  struct Target {
    std::string name;
    std::string what;
    bool logistic;
    std::function<std::optional<double>(const TsvTable&,
                                        const std::vector<std::string>&)>
        y;
  };
  std::vector<Target> targets;
  auto col = [](const TsvTable& t, const std::vector<std::string>& r,
                const char* c) {
    const int i = t.Column(c);
    return i < 0 ? std::string() : r[static_cast<size_t>(i)];
  };
  core::AnalysisContext ctx;
  ctx.language = core::Language::kEnglish;
  if (o.model == "valence") {
    targets.push_back(
        {"valence", "Valence model (linear; output clamped to -1..1).", false,
         [&](const TsvTable& t,
             const std::vector<std::string>& r) -> std::optional<double> {
           const std::string v = col(t, r, "valence");
           if (v.empty()) return std::nullopt;
           // Half the -4..4 scale: the fitted output then spans -1..1 like the
           // lexicon reading instead of shrinking towards 0.
           return std::clamp(std::stod(v) / 2.0, -1.0, 1.0);
         }});
  } else if (o.model == "complaint") {
    targets.push_back({"complaint", "Complaint model (logistic).", true,
                       [&](const TsvTable& t, const std::vector<std::string>& r)
                           -> std::optional<double> {
                         const std::string v = col(t, r, "complaint");
                         if (v.empty()) return std::nullopt;
                         return v == "1" ? 1.0 : 0.0;
                       }});
  } else if (o.model == "politeness") {
    targets.push_back({"politeness", "Politeness model (logistic).", true,
                       [&](const TsvTable& t, const std::vector<std::string>& r)
                           -> std::optional<double> {
                         const std::string v = col(t, r, "label");
                         if (v == "polite") return 1.0;
                         if (v == "impolite") return 0.0;
                         return std::nullopt;
                       }});
  } else if (o.model == "emotion") {
    const std::vector<std::pair<std::string, std::string>> map = {
        {"anger", "anger"},
        {"anxiety", "fear"},
        {"joy", "joy"},
        {"disappointment", "sadness"}};
    for (const auto& [ours, theirs] : map) {
      const std::string label = theirs;
      targets.push_back(
          {"emotion." + ours,
           "Emotion model for " + ours + " (logistic; corpus label " + theirs +
               ").",
           true,
           [&col, label](const TsvTable& t, const std::vector<std::string>& r)
               -> std::optional<double> {
             const std::string v = col(t, r, "labels");
             std::stringstream ss(v);
             std::string item;
             while (std::getline(ss, item, ','))
               if (item == label) return 1.0;
             return 0.0;
           }});
    }
  } else {
    err << "kalm: unknown model '" << o.model
        << "' (valence, complaint, politeness, emotion)\n";
    return kExitUsage;
  }

  // Features once per row, shared by the targets.
  std::vector<Dataset> data(targets.size());
  size_t rows = 0;
  for (const std::string& file : o.files) {
    auto table = ReadTsv(file);
    if (!table.ok()) {
      err << "kalm: " << table.status().message() << "\n";
      return ExitCode(table.status());
    }
    const int c_id = table->Column("id"), c_text = table->Column("text");
    if (c_id < 0 || c_text < 0) {
      err << "kalm: " << file << " needs the columns id and text\n";
      return 65;
    }
    for (const auto& r : table->rows) {
      if (InDevPart(r[static_cast<size_t>(c_id)])) continue;
      std::vector<std::optional<double>> ys;
      bool any = false;
      for (const Target& t : targets) {
        ys.push_back(t.y(*table, r));
        any = any || ys.back().has_value();
      }
      if (!any) continue;
      auto a = analyzer.Analyze(r[static_cast<size_t>(c_text)], ctx);
      if (!a.ok()) continue;
      ++rows;
      for (size_t i = 0; i < targets.size(); ++i) {
        if (!ys[i]) continue;
        data[i].x.push_back(a->features);
        data[i].y.push_back(*ys[i]);
      }
    }
  }
  std::filesystem::create_directories(o.out_dir);
  for (size_t i = 0; i < targets.size(); ++i) {
    const auto w = Train(data[i], targets[i].logistic, 1e-3, 1500);
    const std::string path = o.out_dir + "/" + targets[i].name + ".tsv";
    if (Status s =
            WriteModel(path, targets[i].what, w, o.files, data[i].y.size());
        !s.ok()) {
      err << "kalm: " << s.message() << "\n";
      return ExitCode(s);
    }
    out << fmt::format("wrote {} ({} rows)\n", path, data[i].y.size());
  }
  return rows > 0 ? 0 : 65;
}

}  // namespace kalm::cli
