#include "domain/validation.hpp"

#include <gtest/gtest.h>

#include <string>

namespace chat::domain {
namespace {

using namespace std::string_literals;

TEST(ValidateUsername, AcceptsSeedAndLoadTestNames) {
  EXPECT_FALSE(ValidateUsername("valid_user"));
  EXPECT_FALSE(ValidateUsername("admin"));
  EXPECT_FALSE(ValidateUsername("testuser1"));
  EXPECT_FALSE(ValidateUsername("user_499"));
  EXPECT_FALSE(ValidateUsername("John.Doe"));
  EXPECT_FALSE(ValidateUsername("abc"));
  EXPECT_FALSE(ValidateUsername(std::string(32, 'a')));
}

TEST(ValidateUsername, RefusesTooShortAndTooLongWithLengthMessage) {
  auto short_name = ValidateUsername("ab");
  ASSERT_TRUE(short_name);
  EXPECT_EQ(short_name->field, "username");
  EXPECT_EQ(short_name->code, "BASE_TYPE_BAD_LENGTH");
  EXPECT_NE(short_name->message.find("between 3 and 32"), std::string::npos);
  EXPECT_TRUE(ValidateUsername(""));
  EXPECT_TRUE(ValidateUsername(std::string(33, 'a')));
}

TEST(ValidateUsername, RefusesSpacesSayingSo) {
  auto problem = ValidateUsername("invalid user");
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->code, "USERNAME_INVALID_CHARACTERS");
  EXPECT_NE(problem->message.find("spaces"), std::string::npos);
}

TEST(ValidateUsername, RefusesCharactersOutsideTheAllowedSet) {
  EXPECT_TRUE(ValidateUsername("bad-name"));
  EXPECT_TRUE(ValidateUsername("at@sign"));
  EXPECT_TRUE(ValidateUsername("tab\tname"));
  EXPECT_TRUE(ValidateUsername("nul\0name"s));
  EXPECT_TRUE(ValidateUsername("caf\xC3\xA9"));  // é: letters are ASCII only
}

TEST(ValidateEmail, AcceptsOrdinaryAddresses) {
  EXPECT_FALSE(ValidateEmail("admin@example.com"));
  EXPECT_FALSE(ValidateEmail("first.last+tag@mail.example.co.uk"));
  EXPECT_FALSE(ValidateEmail("user_1@sub-domain.example.org"));
  EXPECT_FALSE(ValidateEmail("x@xn--p1ai.xn--p1ai"));  // punycode TLD
}

TEST(ValidateEmail, RefusesMalformedShapes) {
  for (std::string_view bad : {"",
                               "plainaddress",
                               "@example.com",
                               "user@",
                               "user@localhost",
                               "user@example.c",
                               "user@@example.com",
                               "a@b@example.com",
                               "user @example.com",
                               "user@exa mple.com",
                               "user@example..com",
                               "user@.example.com",
                               "user@example.com.",
                               "user@-example.com",
                               "user@example-.com",
                               ".user@example.com",
                               "user.@example.com",
                               "us..er@example.com",
                               "user@1.2.3.4",
                               "user\n@example.com",
                               "us\"er@example.com",
                               "us(er@example.com"}) {
    auto problem = ValidateEmail(bad);
    ASSERT_TRUE(problem) << bad;
    EXPECT_EQ(problem->field, "email");
  }
  EXPECT_TRUE(ValidateEmail("user\0@example.com"s));
}

TEST(ValidateEmail, RefusesAddressesLongerThan254Bytes) {
  // Each label fits 63 bytes, so only the overall limit can refuse this.
  std::string domain = std::string(63, 'a') + "." + std::string(63, 'b') + "." +
                       std::string(63, 'c') + "." + std::string(50, 'd') + ".com";
  std::string email = std::string(10, 'u') + "@" + domain;
  ASSERT_GT(email.size(), kEmailMaxLength);
  auto problem = ValidateEmail(email);
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->code, "BASE_TYPE_BAD_LENGTH");
}

TEST(CheckPasswordStrength, SeedExamples) {
  EXPECT_TRUE(CheckPasswordStrength("weak"));
  EXPECT_FALSE(CheckPasswordStrength("StrongP@ss123"));
  EXPECT_FALSE(CheckPasswordStrength("SecureP@ss123"));
}

TEST(CheckPasswordStrength, TooShortOrTooLongSaysTheLimits) {
  auto problem = CheckPasswordStrength("Ab1!");
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->field, "password");
  EXPECT_NE(problem->message.find("between 8 and 128"), std::string::npos);
  EXPECT_FALSE(CheckPasswordStrength("Aa1!" + std::string(124, 'x')));  // exactly 128
  EXPECT_TRUE(CheckPasswordStrength("Aa1!" + std::string(125, 'x')));
}

TEST(CheckPasswordStrength, NamesTheMissingCharacterClasses) {
  // The load-test password is fine for login but too weak to register with.
  auto problem = CheckPasswordStrength("password123");
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->code, "PASSWORD_TOO_WEAK");
  EXPECT_NE(problem->message.find("uppercase letters"), std::string::npos);
  EXPECT_NE(problem->message.find("symbols"), std::string::npos);
  EXPECT_EQ(problem->message.find("digits)"), std::string::npos);
}

TEST(CheckPasswordStrength, AnyThreeClassesSuffice) {
  EXPECT_FALSE(CheckPasswordStrength("lowerUPPER123"));  // no symbol
  EXPECT_FALSE(CheckPasswordStrength("lower_upper_1"));  // no uppercase
  EXPECT_FALSE(CheckPasswordStrength("UPPER lower!"));   // no digit; space is a symbol
  EXPECT_TRUE(CheckPasswordStrength("alllowercase"));
  EXPECT_TRUE(CheckPasswordStrength("12345678"));
}

TEST(ValidateDisplayName, AcceptsUnicodeUpTo32CodePoints) {
  EXPECT_FALSE(ValidateDisplayName("A"));
  EXPECT_FALSE(ValidateDisplayName("Jürgen 🎉"));
  // 32 two-byte letters are 64 bytes but 32 characters.
  std::string name;
  for (int i = 0; i < 32; ++i) name += "\xC3\xA9";
  EXPECT_FALSE(ValidateDisplayName(name));
  EXPECT_TRUE(ValidateDisplayName(name + "e"));
}

TEST(ValidateDisplayName, RefusesEmptyControlNulAndBadUtf8) {
  auto empty = ValidateDisplayName("");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->field, "global_name");
  EXPECT_EQ(empty->code, "BASE_TYPE_BAD_LENGTH");
  EXPECT_TRUE(ValidateDisplayName("line\nbreak"));
  EXPECT_TRUE(ValidateDisplayName("bell\x07"));
  EXPECT_TRUE(ValidateDisplayName("c1\xC2\x85"));  // U+0085 NEXT LINE
  EXPECT_TRUE(ValidateDisplayName("nul\0x"s));
  EXPECT_TRUE(ValidateDisplayName("bad\xFF"));
}

TEST(IsValidUtf8, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("\xC3\xA9"));          // é
  EXPECT_TRUE(IsValidUtf8("\xE2\x82\xAC"));      // €
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x8E\x89"));  // 🎉
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
}

TEST(IsValidUtf8, RefusesMalformedSequences) {
  EXPECT_FALSE(IsValidUtf8("\x80"));              // lone continuation byte
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("abc\xE2\x82"));       // truncated at the end
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xF0\x80\x80\xAF"));  // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // U+D800 surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("\xC3\x28"));  // second byte is not a continuation
}

TEST(ContainsNul, FindsEmbeddedNulBytes) {
  EXPECT_FALSE(ContainsNul("hello"));
  EXPECT_TRUE(ContainsNul("hel\0lo"s));
  EXPECT_TRUE(ContainsNul("\0"s));
}

TEST(ValidateText, ReportsTheGivenFieldForNulAndBadUtf8) {
  EXPECT_FALSE(ValidateText("content", "hello 🎉"));
  auto nul = ValidateText("content", "a\0b"s);
  ASSERT_TRUE(nul);
  EXPECT_EQ(nul->field, "content");
  EXPECT_NE(nul->message.find("NUL"), std::string::npos);
  auto utf8 = ValidateText("name", "\xC3");
  ASSERT_TRUE(utf8);
  EXPECT_EQ(utf8->field, "name");
  EXPECT_NE(utf8->message.find("UTF-8"), std::string::npos);
}

}  // namespace
}  // namespace chat::domain
