// Keyword matching is hand-written: Discord's wildcard rules (whole word, prefix, suffix,
// anywhere) are simpler than a regex per keyword. Regex patterns run on RE2, whose matching time
// is linear in the text whatever the pattern (any user can make a guild and its rules, so a
// pattern is untrusted), and whose syntax is close to the Rust flavour Discord documents.
#include "domain/auto_moderation.hpp"

#include <algorithm>
#include <cstddef>

#include <re2/re2.h>

namespace chat::domain {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool WordChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || u >= 0x80;
}

std::string Lowered(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), Lower);
  return out;
}

bool BoundaryBefore(std::string_view text, std::size_t at) {
  return at == 0 || !WordChar(text[at - 1]);
}
bool BoundaryAfter(std::string_view text, std::size_t at) {
  return at >= text.size() || !WordChar(text[at]);
}

// The span [begin, end) widened to the words it touches.
std::pair<std::size_t, std::size_t> Widen(std::string_view text, std::size_t begin,
                                          std::size_t end) {
  while (begin > 0 && WordChar(text[begin - 1])) --begin;
  while (end < text.size() && WordChar(text[end])) ++end;
  return {begin, end};
}

// How many allowed matches of one regex a message may pass over before the pattern is taken as
// matching nothing there: each search can scan the rest of the text.
constexpr int kMaxAllowedRegexMatches = 64;

struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// A keyword as configured, split into its text (lowered once) and its wildcards.
struct Keyword {
  std::string original;
  std::string core;
  bool prefix_wild = false;  // "*cat": the keyword may end a word
  bool suffix_wild = false;  // "cat*": it may start one
  bool within_word = true;   // no space or punctuation: its matches lie inside one word
};

Keyword ParseKeyword(std::string_view keyword) {
  Keyword k;
  k.original = std::string(keyword);
  if (!keyword.empty() && keyword.front() == '*') {
    k.prefix_wild = true;
    keyword.remove_prefix(1);
  }
  if (!keyword.empty() && keyword.back() == '*') {
    k.suffix_wild = true;
    keyword.remove_suffix(1);
  }
  k.core = Lowered(keyword);
  k.within_word = std::all_of(k.core.begin(), k.core.end(), WordChar);
  return k;
}

// Every place `k` matches in `lowered` (the content lowered), widened to whole words, until
// `on_match` returns true. Linear in the text for a keyword within a word: the search goes on
// after the word it matched, since any later hit there widens to the same span.
template <typename F>
void ForEachKeywordMatch(std::string_view lowered, const Keyword& k, F&& on_match) {
  if (k.core.empty()) return;
  std::size_t at = lowered.find(k.core);
  while (at != std::string_view::npos) {
    const std::size_t end = at + k.core.size();
    // "cat*": the keyword starts a word; "*cat": it ends one; "cat": both; "*cat*": neither.
    if ((k.prefix_wild || BoundaryBefore(lowered, at)) &&
        (k.suffix_wild || BoundaryAfter(lowered, end))) {
      const auto [b, e] = Widen(lowered, at, end);
      if (on_match(Span{b, e})) return;
      at = lowered.find(k.core, k.within_word ? std::max(e, at + 1) : at + 1);
    } else {
      at = lowered.find(k.core, at + 1);
    }
  }
}

// The allow list's matches in a text, merged, to ask whether a span lies within one.
class AllowedSpans {
 public:
  AllowedSpans(std::string_view lowered, const std::vector<Keyword>& allow_list) {
    for (const auto& a : allow_list) {
      ForEachKeywordMatch(lowered, a, [&](Span s) {
        spans_.push_back(s);
        return false;
      });
    }
    std::sort(spans_.begin(), spans_.end(),
              [](const Span& x, const Span& y) { return x.begin < y.begin; });
    std::vector<Span> merged;
    for (const Span& s : spans_) {
      if (!merged.empty() && s.begin < merged.back().end) {
        merged.back().end = std::max(merged.back().end, s.end);
      } else {
        merged.push_back(s);
      }
    }
    spans_ = std::move(merged);
  }

  bool Covers(Span s) const {
    auto it = std::upper_bound(spans_.begin(), spans_.end(), s.begin,
                               [](std::size_t at, const Span& a) { return at < a.begin; });
    if (it == spans_.begin()) return false;
    --it;
    return it->begin <= s.begin && s.end <= it->end;
  }

 private:
  std::vector<Span> spans_;
};

RE2::Options RegexOptions() {
  RE2::Options o;
  o.set_case_sensitive(false);
  o.set_log_errors(false);
  // What one compiled pattern may hold (program and matching cache): a pattern that needs more
  // does not compile, and is refused when the rule is made.
  o.set_max_mem(256 << 10);
  return o;
}

class KeywordMatcher final : public AutoModMatcher {
 public:
  KeywordMatcher(const std::vector<std::string>& keywords, const std::vector<std::string>& patterns,
                 const std::vector<std::string>& allow_list) {
    for (const auto& k : keywords) keywords_.push_back(ParseKeyword(k));
    for (const auto& a : allow_list) allow_list_.push_back(ParseKeyword(a));
    for (const auto& p : patterns) {
      auto re = std::make_unique<RE2>(p, RegexOptions());
      // Checked when the rule was made; a pattern that no longer compiles matches nothing.
      if (re->ok()) regexes_.push_back(std::move(re));
    }
  }

  std::optional<AutoModMatch> Match(std::string_view content, std::size_t) const override {
    const std::string lowered = Lowered(content);
    const AllowedSpans allowed(lowered, allow_list_);
    for (const auto& k : keywords_) {
      std::optional<AutoModMatch> found;
      ForEachKeywordMatch(lowered, k, [&](Span s) {
        if (allowed.Covers(s)) return false;
        found = AutoModMatch{k.original, std::string(content.substr(s.begin, s.end - s.begin))};
        return true;
      });
      if (found) return found;
    }
    const re2::StringPiece text(content.data(), content.size());
    for (const auto& re : regexes_) {
      re2::StringPiece m;
      std::size_t pos = 0;
      // Matched against the whole text from `pos`, so ^, $ and \b keep their meaning. Each
      // search may scan to the end of the text, so a pattern gets a bounded number of allowed
      // matches passed over: past them it is taken as matching nothing.
      for (int skipped = 0; skipped < kMaxAllowedRegexMatches && pos <= content.size() &&
                            re->Match(text, pos, content.size(), RE2::UNANCHORED, &m, 1);
           ++skipped) {
        const auto b = static_cast<std::size_t>(m.data() - content.data());
        const std::size_t e = b + m.size();
        if (!allowed.Covers(Span{b, e})) {
          return AutoModMatch{re->pattern(), std::string(content.substr(b, e - b))};
        }
        pos = e;
        if (e == b) {  // past an empty match (or it comes back), to the next character
          ++pos;
          while (pos < content.size() &&
                 (static_cast<unsigned char>(content[pos]) & 0xC0) == 0x80) {
            ++pos;
          }
        }
      }
    }
    return std::nullopt;
  }

  std::size_t RegexCount() const override { return regexes_.size(); }

 private:
  std::vector<Keyword> keywords_;
  std::vector<Keyword> allow_list_;
  std::vector<std::unique_ptr<RE2>> regexes_;
};

class MentionSpamMatcher final : public AutoModMatcher {
 public:
  explicit MentionSpamMatcher(int limit) : limit_(limit) {}
  std::optional<AutoModMatch> Match(std::string_view, std::size_t mentions) const override {
    if (mentions <= static_cast<std::size_t>(limit_)) return std::nullopt;
    return AutoModMatch{};
  }

 private:
  int limit_;
};

}  // namespace

std::optional<AutoModMatch> MatchKeyword(std::string_view content, std::string_view keyword) {
  const std::string lowered = Lowered(content);
  std::optional<AutoModMatch> found;
  ForEachKeywordMatch(lowered, ParseKeyword(keyword), [&](Span s) {
    found =
        AutoModMatch{std::string(keyword), std::string(content.substr(s.begin, s.end - s.begin))};
    return true;
  });
  return found;
}

bool ValidRegex(const std::string& pattern) { return RE2(pattern, RegexOptions()).ok(); }

std::unique_ptr<AutoModMatcher> CompileKeywordRule(std::vector<std::string> keywords,
                                                   std::vector<std::string> regex_patterns,
                                                   std::vector<std::string> allow_list) {
  return std::make_unique<KeywordMatcher>(keywords, regex_patterns, allow_list);
}

std::unique_ptr<AutoModMatcher> CompileMentionSpamRule(int mention_total_limit) {
  return std::make_unique<MentionSpamMatcher>(mention_total_limit);
}

}  // namespace chat::domain
