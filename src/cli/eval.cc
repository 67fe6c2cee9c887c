// `kalm eval`: the analyzer's judgement measured on the ../shared/data corpora.
#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli/cli.h"

namespace kalm::cli {
namespace {

struct Confusion {
  double tp = 0, fp = 0, fn = 0, tn = 0;
  void Add(bool pred, bool gold) {
    if (pred && gold)
      ++tp;
    else if (pred)
      ++fp;
    else if (gold)
      ++fn;
    else
      ++tn;
  }
  double Precision() const { return tp + fp > 0 ? tp / (tp + fp) : 0; }
  double Recall() const { return tp + fn > 0 ? tp / (tp + fn) : 0; }
  double F1() const {
    const double p = Precision(), r = Recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
  }
  double Accuracy() const {
    const double n = tp + fp + fn + tn;
    return n > 0 ? (tp + tn) / n : 0;
  }
};

double Pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const size_t n = x.size();
  if (n < 2) return 0;
  double mx = 0, my = 0;
  for (size_t i = 0; i < n; ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < n; ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : 0;
}

int Class3(double v, double t) { return v > t ? 1 : (v < -t ? -1 : 0); }

double MacroF1(const std::vector<int>& pred, const std::vector<int>& gold,
               const std::vector<int>& classes) {
  double sum = 0;
  for (int c : classes) {
    Confusion m;
    for (size_t i = 0; i < pred.size(); ++i) m.Add(pred[i] == c, gold[i] == c);
    sum += m.F1();
  }
  return classes.empty() ? 0 : sum / static_cast<double>(classes.size());
}

std::set<std::string> SplitLabels(const std::string& s) {
  std::set<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    while (!item.empty() && item.front() == ' ') item.erase(0, 1);
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (!item.empty()) out.insert(item);
  }
  return out;
}

double R4(double x) { return std::round(x * 10000) / 10000; }

}  // namespace

int TsvTable::Column(std::string_view name) const {
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  return -1;
}

StatusOr<TsvTable> ReadTsv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot open '" + path + "'");
  TsvTable t;
  std::string line;
  bool first = true;
  size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> f;
    size_t pos = 0;
    while (true) {
      const size_t tab = line.find('\t', pos);
      f.push_back(line.substr(
          pos, tab == std::string::npos ? std::string::npos : tab - pos));
      if (tab == std::string::npos) break;
      pos = tab + 1;
    }
    if (first) {
      t.header = std::move(f);
      first = false;
      continue;
    }
    if (line.empty()) continue;
    if (f.size() != t.header.size()) {
      return InvalidArgumentError(path + ":" + std::to_string(line_no) +
                                  ": expected " +
                                  std::to_string(t.header.size()) +
                                  " columns, got " + std::to_string(f.size()));
    }
    t.rows.push_back(std::move(f));
  }
  if (t.header.empty()) return InvalidArgumentError(path + ": empty file");
  return t;
}

bool InDevPart(std::string_view id) {
  uint32_t h = 2166136261u;  // FNV-1a
  for (char c : id) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return h % 5 == 0;
}

int RunEval(const core::Analyzer& analyzer, const EvalOptions& o,
            std::ostream& out, std::ostream& err,
            const core::Reviewer* reviewer) {
  auto table = ReadTsv(o.file);
  if (!table.ok()) {
    err << "kalm: " << table.status().message() << "\n";
    return ExitCode(table.status());
  }
  const std::string& task = o.task;
  const bool dutch_task =
      task == "valence_nl" || task == "emotion_nl" || task == "hostility";
  core::AnalysisContext ctx;
  const std::string lang = o.lang.empty() ? (dutch_task ? "nl" : "en") : o.lang;
  if (lang == "nl")
    ctx.language = core::Language::kDutch;
  else if (lang == "en")
    ctx.language = core::Language::kEnglish;
  const int c_id = table->Column("id");
  const int c_text = table->Column("text");
  if (c_id < 0 || c_text < 0) {
    err << "kalm: " << o.file << " needs the columns id and text\n";
    return 65;
  }
  std::vector<const std::vector<std::string>*> rows;
  for (const auto& r : table->rows) {
    const bool dev = InDevPart(r[static_cast<size_t>(c_id)]);
    if (o.part == "all" || (o.part == "dev" && dev) ||
        (o.part == "fit" && !dev))
      rows.push_back(&r);
  }
  size_t failed = 0;
  auto analyse =
      [&](const std::vector<std::string>& r) -> std::optional<core::Analysis> {
    auto a = analyzer.Analyze(r[static_cast<size_t>(c_text)], ctx);
    if (!a.ok()) {
      ++failed;
      return std::nullopt;
    }
    return std::move(*a);
  };
  nlohmann::json m;
  m["task"] = task;
  m["file"] = o.file;
  m["part"] = o.part;
  auto need = [&](const char* col) {
    const int c = table->Column(col);
    if (c < 0)
      err << "kalm: " << o.file << " has no column '" << col << "' for " << task
          << "\n";
    return c;
  };
  if (task == "valence") {
    const int c_val = need("valence"), c_dom = table->Column("domain");
    if (c_val < 0) return 65;
    std::map<std::string, std::pair<std::vector<double>, std::vector<double>>>
        by;
    std::vector<double> px, gy;
    std::vector<int> pc, gc;
    for (const auto* r : rows) {
      auto a = analyse(*r);
      if (!a) continue;
      const double g = std::stod((*r)[static_cast<size_t>(c_val)]);
      px.push_back(a->valence);
      gy.push_back(g);
      pc.push_back(Class3(a->valence, 0.05));
      gc.push_back(Class3(g, 0.05));
      if (c_dom >= 0) {
        auto& d = by[(*r)[static_cast<size_t>(c_dom)]];
        d.first.push_back(a->valence);
        d.second.push_back(g);
      }
    }
    m["pearson_r"] = R4(Pearson(px, gy));
    m["macro_f1_3class"] = R4(MacroF1(pc, gc, {-1, 0, 1}));
    for (const auto& [d, v] : by)
      m["pearson_r." + d] = R4(Pearson(v.first, v.second));
    m["rows"] = px.size();
  } else if (task == "complaint" || task == "hostility") {
    const int c_lab = need(task == "complaint" ? "complaint" : "hostile");
    if (c_lab < 0) return 65;
    const double t = o.threshold >= 0 ? o.threshold : 0.5;
    Confusion cm;
    for (const auto* r : rows) {
      auto a = analyse(*r);
      if (!a) continue;
      const bool gold = (*r)[static_cast<size_t>(c_lab)] == "1";
      cm.Add(task == "complaint" ? a->complaint >= t : a->hostile, gold);
    }
    m["precision"] = R4(cm.Precision());
    m["recall"] = R4(cm.Recall());
    m["f1"] = R4(cm.F1());
    m["accuracy"] = R4(cm.Accuracy());
    m["rows"] = cm.tp + cm.fp + cm.fn + cm.tn;
  } else if (task == "politeness") {
    const int c_lab = need("label");
    if (c_lab < 0) return 65;
    const double t = o.threshold >= 0 ? o.threshold : 0.5;
    // `accuracy` is the reply coach's politeness score (what a VA sees on a
    // draft) when the coach is available, else the analyzer's; both are
    // reported.
    Confusion cm, cm_analyzer;
    core::ReviewContext rctx;
    rctx.language = ctx.language;
    for (const auto* r : rows) {
      const std::string& lab = (*r)[static_cast<size_t>(c_lab)];
      if (lab != "polite" && lab != "impolite") continue;
      auto a = analyse(*r);
      if (!a) continue;
      cm_analyzer.Add(a->politeness >= t, lab == "polite");
      if (reviewer != nullptr) {
        auto rv = reviewer->Run((*r)[static_cast<size_t>(c_text)], rctx);
        if (!rv.ok()) {
          ++failed;
          continue;
        }
        cm.Add(rv->politeness >= t, lab == "polite");
      }
    }
    if (reviewer == nullptr) cm = cm_analyzer;
    m["accuracy"] = R4(cm.Accuracy());
    m["accuracy_analyzer"] = R4(cm_analyzer.Accuracy());
    m["rows"] = cm.tp + cm.fp + cm.fn + cm.tn;
  } else if (task == "emotion" || task == "emotion_nl") {
    const int c_lab = need("labels");
    if (c_lab < 0) return 65;
    // The analyzer reports an emotion from the signal threshold on.
    const double t = o.threshold >= 0 ? o.threshold : core::kSignalThreshold;
    // Ours -> the corpus labels.
    const std::vector<std::pair<std::string, std::string>> map = {
        {"anger", "anger"},
        {"anxiety", "fear"},
        {"joy", "joy"},
        {"disappointment", "sadness"}};
    std::vector<std::string> labels = {"anger", "fear", "joy", "sadness"};
    if (task == "emotion") labels.push_back("neutral");
    std::map<std::string, Confusion> cm;
    for (const auto* r : rows) {
      auto a = analyse(*r);
      if (!a) continue;
      const auto gold = SplitLabels((*r)[static_cast<size_t>(c_lab)]);
      std::set<std::string> pred;
      for (const auto& [ours, theirs] : map)
        if (a->emotions.at(ours) >= t) pred.insert(theirs);
      if (pred.empty()) pred.insert("neutral");
      for (const auto& l : labels)
        cm[l].Add(pred.count(l) > 0, gold.count(l) > 0);
    }
    double sum = 0;
    for (const auto& l : labels) {
      m["f1_" + l] = R4(cm[l].F1());
      sum += cm[l].F1();
    }
    m[task == "emotion" ? "macro_f1" : "mean_f1"] =
        R4(sum / static_cast<double>(labels.size()));
    m["rows"] = rows.size() - failed;
  } else if (task == "valence_nl") {
    const int c_pol = need("polarity");
    if (c_pol < 0) return 65;
    const double t = o.threshold >= 0 ? o.threshold : 0.0;
    Confusion bin;
    std::vector<int> pc, gc;
    for (const auto* r : rows) {
      const std::string& p = (*r)[static_cast<size_t>(c_pol)];
      if (p != "positive" && p != "negative" && p != "neutral") continue;
      auto a = analyse(*r);
      if (!a) continue;
      if (p != "neutral") bin.Add(a->valence >= t, p == "positive");
      pc.push_back(Class3(a->valence, 0.05));
      gc.push_back(p == "positive" ? 1 : (p == "negative" ? -1 : 0));
    }
    m["accuracy"] = R4(bin.Accuracy());
    m["macro_f1_3class"] = R4(MacroF1(pc, gc, {-1, 0, 1}));
    m["rows"] = pc.size();
  } else {
    err << "kalm: unknown eval task '" << task
        << "' (valence, complaint, politeness, emotion, hostility, valence_nl, "
           "emotion_nl)\n";
    return kExitUsage;
  }
  m["failed"] = failed;
  if (o.json) {
    out << m.dump() << "\n";
  } else {
    out << fmt::format("{} on {} ({} part)\n", task, o.file, o.part);
    for (const auto& [k, v] : m.items()) {
      if (k == "task" || k == "file" || k == "part") continue;
      out << fmt::format("  {:<24} {}\n", k, v.dump());
    }
  }
  return 0;
}

}  // namespace kalm::cli
