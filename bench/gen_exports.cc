// Generates large import inputs for bench/import.sh, written by us:
//   kalm_gen_exports whatsapp N OUT   a WhatsApp export of N messages
//   kalm_gen_exports mbox BYTES OUT   an mbox of about BYTES bytes
// and, beside each, OUT.csv with the same rows (sent_at, author, body) for
// the sqlite3 shell's import: the floor without parsing or analysis.
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

namespace {

const char* kTexts[] = {
    "Hoe staat het met de nieuwsbrief? Ik had hem eigenlijk vandaag al "
    "verwacht.",
    "Ok, dank je!",
    "Kun je ook even de agenda van volgende week bijwerken? Er komen twee "
    "afspraken bij.",
    "Waarom is dit NOG STEEDS niet af?! Ik heb het vorige week al gevraagd.",
    "Top, ziet er goed uit. Stuur je hem vrijdag naar de drukker?",
    "Is the report ready yet? The board meets on Thursday morning.",
    "Sorry, de factuur van maart betaal ik volgende week, het is even krap.",
    "Wil je elke mail die je namens mij stuurt eerst aan mij laten zien?",
    "Thanks so much, this is exactly what I needed.",
    "In de tweede alinea mist een komma, en kan het lettertype een punt "
    "groter?"};
constexpr int kTextCount = sizeof(kTexts) / sizeof(kTexts[0]);

void Csv(std::FILE* f, long long t, const char* author,
         const std::string& body) {
  std::fprintf(f, "%lld,\"%s\",\"", t, author);
  for (char c : body) {
    if (c == '"') std::fputc('"', f);
    std::fputc(c, f);
  }
  std::fputs("\"\n", f);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s whatsapp N OUT | mbox BYTES OUT\n",
                 argv[0]);
    return 2;
  }
  const std::string kind = argv[1];
  const long long n = std::atoll(argv[2]);
  const std::string out = argv[3];
  std::FILE* f = std::fopen(out.c_str(), "wb");
  std::FILE* csv = std::fopen((out + ".csv").c_str(), "wb");
  if (f == nullptr || csv == nullptr) return 1;
  const long long base = 1735689600;  // 2025-01-01T00:00:00Z
  if (kind == "whatsapp") {
    for (long long i = 0; i < n; ++i) {
      const long long minute = i / 3;
      const long long t = base + minute * 60;
      // The wall-clock date and time of t (exports are in local time; the
      // import reads them in the client's zone, so the stored times shift,
      // the order does not).
      const time_t tt = static_cast<time_t>(t);
      std::tm tm{};
      gmtime_r(&tt, &tm);
      const int y = tm.tm_year + 1900, mo = tm.tm_mon + 1, d = tm.tm_mday;
      const char* author = i % 2 == 0 ? "Sanne" : "Eva";
      std::string body = kTexts[i % kTextCount];
      if (i % 13 == 0) body += "\nEn nog een regel erbij.";
      std::fprintf(f, "%02d-%02d-%04d %02lld:%02lld - %s: %s\n", d, mo, y,
                   (minute / 60) % 24, minute % 60, author, body.c_str());
      Csv(csv, t, author, body);
    }
  } else if (kind == "mbox") {
    long long written = 0, i = 0;
    while (written < n) {
      const long long t = base + i * 600;
      const char* author = i % 3 == 0 ? "Eva" : "Sanne";
      std::string body;
      for (int k = 0; k < 14; ++k) {
        body += kTexts[(i + k) % kTextCount];
        body += k % 3 == 2 ? "\n\n" : " ";
      }
      char head[512];
      const int len = std::snprintf(
          head, sizeof head,
          "From %s@example.nl Mon Jan  1 00:00:00 2025\n"
          "From: %s <%s@example.nl>\nTo: eva@va.example\n"
          "Subject: Bericht %lld\nDate: %lld\nMessage-ID: "
          "<bench-%lld@example.nl>\n"
          "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
          "Content-Transfer-Encoding: 8bit\n\n",
          author, author, author, i, t, i);
      // RFC 5322 date from the epoch seconds.
      std::string h(head, static_cast<size_t>(len));
      const size_t at = h.find("Date: ") + 6;
      const size_t end = h.find('\n', at);
      char date[64];
      const time_t tt = static_cast<time_t>(t);
      std::tm tm{};
      gmtime_r(&tt, &tm);
      std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
      h.replace(at, end - at, date);
      std::fputs(h.c_str(), f);
      std::fputs(body.c_str(), f);
      std::fputs("\n\n", f);
      Csv(csv, t, author, body);
      written += static_cast<long long>(h.size() + body.size() + 2);
      ++i;
    }
  } else {
    return 2;
  }
  std::fclose(f);
  std::fclose(csv);
  return 0;
}
