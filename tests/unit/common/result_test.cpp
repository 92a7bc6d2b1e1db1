#include "common/result.hpp"

#include <gtest/gtest.h>

namespace chat {
namespace {

Result<int> Half(int n) {
  if (n % 2) return Error::Validation("odd", {{"n", "NUMBER_TYPE_ODD", "must be even"}});
  return n / 2;
}

TEST(Result, CarriesValueOrError) {
  EXPECT_EQ(Half(4).value(), 2);
  auto r = Half(3);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kValidation);
  EXPECT_EQ(r.error().api_code, 50035);
  ASSERT_EQ(r.error().fields.size(), 1u);
  EXPECT_EQ(r.error().fields[0].field, "n");
}

TEST(Result, ValueOfErrorThrowsWithKind) {
  auto r = Half(3);
  try {
    (void)r.value();
    FAIL() << "expected a throw";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("Validation: odd"), std::string::npos);
  }
}

}  // namespace
}  // namespace chat
