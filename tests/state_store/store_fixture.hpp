// The fixture of the parameterised state store suite: every TEST_P runs once per store.
#pragma once

#include <gtest/gtest.h>

#include <ostream>

#include "state_store/store_backends.hpp"

namespace notionsync::testing {

inline void PrintTo(const BackendKind& kind, std::ostream* out) {
  *out << kind.name;
}

inline std::string backend_test_name(const ::testing::TestParamInfo<BackendKind>& info) {
  return info.param.name;
}

class StoreTest : public ::testing::TestWithParam<BackendKind> {
 protected:
  void SetUp() override {
    try {
      backend = GetParam().make();
    } catch (const std::exception& error) {
      // A store that cannot be set up (no PostgreSQL server) fails the test, never skips it.
      GTEST_FAIL() << GetParam().name << " store unavailable: " << error.what();
    }
  }

  std::unique_ptr<StoreBackend> backend;
};

}  // namespace notionsync::testing
