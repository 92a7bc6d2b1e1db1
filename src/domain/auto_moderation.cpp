// Keyword matching is hand-written: Discord's wildcard rules (whole word, prefix, suffix,
// anywhere) are simpler than a regex per keyword and need no allocation per word. Regex patterns
// use Boost.Regex, whose matcher gives up (throws) past a complexity bound instead of running
// for ever on a pathological pattern; such a pattern then matches nothing.
#include "domain/auto_moderation.hpp"

#include <algorithm>
#include <cstddef>

// Any user can make a guild and its rules, so a rule's pattern is untrusted: Boost's default
// bound (10^8 states) lets one pattern spend about a second on a 4,000-byte message. 2·10^6
// states still run ordinary patterns over the longest message; past it the pattern gives up.
// Only this file includes Boost.Regex, so the bound is the same wherever it is instantiated.
#define BOOST_REGEX_MAX_STATE_COUNT 2000000
#include <boost/regex.hpp>

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

struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// Every place `keyword` matches in `lowered` (the content lowered), widened to whole words.
template <typename F>
void ForEachKeywordMatch(std::string_view lowered, std::string_view keyword, F&& on_match) {
  bool prefix_wild = false, suffix_wild = false;
  if (!keyword.empty() && keyword.front() == '*') {
    prefix_wild = true;
    keyword.remove_prefix(1);
  }
  if (!keyword.empty() && keyword.back() == '*') {
    suffix_wild = true;
    keyword.remove_suffix(1);
  }
  const std::string core = Lowered(keyword);
  if (core.empty()) return;
  for (std::size_t at = lowered.find(core); at != std::string_view::npos;
       at = lowered.find(core, at + 1)) {
    const std::size_t end = at + core.size();
    // "cat*": the keyword starts a word; "*cat": it ends one; "cat": both; "*cat*": neither.
    if (!prefix_wild && !BoundaryBefore(lowered, at)) continue;
    if (!suffix_wild && !BoundaryAfter(lowered, end)) continue;
    const auto [b, e] = Widen(lowered, at, end);
    if (on_match(Span{b, e})) return;
  }
}

class KeywordMatcher final : public AutoModMatcher {
 public:
  KeywordMatcher(std::vector<std::string> keywords, std::vector<std::string> patterns,
                 std::vector<std::string> allow_list)
      : keywords_(std::move(keywords)), allow_list_(std::move(allow_list)) {
    for (auto& p : patterns) {
      try {
        regexes_.emplace_back(p, boost::regex(p, boost::regex::perl | boost::regex::icase));
      } catch (const std::exception&) {
        // Checked when the rule was made; a pattern that no longer compiles matches nothing.
      }
    }
  }

  std::optional<AutoModMatch> Match(std::string_view content, std::size_t) const override {
    const std::string lowered = Lowered(content);
    std::vector<Span> allowed;
    for (const auto& a : allow_list_) {
      ForEachKeywordMatch(lowered, a, [&](Span s) {
        allowed.push_back(s);
        return false;
      });
    }
    const auto is_allowed = [&](Span s) {
      return std::any_of(allowed.begin(), allowed.end(),
                         [&](Span a) { return a.begin <= s.begin && s.end <= a.end; });
    };
    for (const auto& k : keywords_) {
      std::optional<AutoModMatch> found;
      ForEachKeywordMatch(lowered, k, [&](Span s) {
        if (is_allowed(s)) return false;
        found = AutoModMatch{k, std::string(content.substr(s.begin, s.end - s.begin))};
        return true;
      });
      if (found) return found;
    }
    for (const auto& [pattern, re] : regexes_) {
      try {
        boost::cmatch m;
        const char* first = content.data();
        const char* last = first + content.size();
        while (first != last && boost::regex_search(first, last, m, re)) {
          const auto b = static_cast<std::size_t>(m[0].first - content.data());
          const auto e = static_cast<std::size_t>(m[0].second - content.data());
          if (!is_allowed(Span{b, e})) {
            return AutoModMatch{pattern, std::string(content.substr(b, e - b))};
          }
          first = m[0].second == m[0].first ? m[0].second + 1 : m[0].second;
        }
      } catch (const std::exception&) {
        // Too complex to match on this content (Boost.Regex's bound): no match.
      }
    }
    return std::nullopt;
  }

 private:
  std::vector<std::string> keywords_;
  std::vector<std::string> allow_list_;
  std::vector<std::pair<std::string, boost::regex>> regexes_;
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
  ForEachKeywordMatch(lowered, keyword, [&](Span s) {
    found =
        AutoModMatch{std::string(keyword), std::string(content.substr(s.begin, s.end - s.begin))};
    return true;
  });
  return found;
}

bool ValidRegex(const std::string& pattern) {
  try {
    boost::regex re(pattern, boost::regex::perl | boost::regex::icase);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

std::unique_ptr<AutoModMatcher> CompileKeywordRule(std::vector<std::string> keywords,
                                                   std::vector<std::string> regex_patterns,
                                                   std::vector<std::string> allow_list) {
  return std::make_unique<KeywordMatcher>(std::move(keywords), std::move(regex_patterns),
                                          std::move(allow_list));
}

std::unique_ptr<AutoModMatcher> CompileMentionSpamRule(int mention_total_limit) {
  return std::make_unique<MentionSpamMatcher>(mention_total_limit);
}

}  // namespace chat::domain
