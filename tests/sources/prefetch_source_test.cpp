// Reading ahead on a thread: the records, their order, their errors and the source's own failures
// come out exactly as from the source itself, and the read-ahead stays bounded.
#include "notionsync/sources/prefetch_source.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "notionsync/core/error.hpp"
#include "notionsync/sources/csv_source.hpp"
#include "notionsync/sources/jsonl_source.hpp"
#include "source_test_helpers.hpp"

namespace notionsync::sources {
namespace {

using testing::read_all;
using testing::write_file;

PrefetchOptions sized(std::size_t batch_size, std::size_t max_batches) {
  PrefetchOptions options;
  options.batch_size = batch_size;
  options.max_batches = max_batches;
  return options;
}

// A source of `count` numbered records that fails with an I/O error after `fail_after` of them
// (never when it is not set), counting what was read from it.
class NumberedSource : public RowSource {
 public:
  NumberedSource(int count, std::atomic<int>& reads, std::optional<int> fail_after = {})
      : count_(count), reads_(reads), fail_after_(fail_after) {}

  const std::vector<std::string>& columns() const override { return columns_; }

  std::optional<SourceRecord> next() override {
    if (fail_after_ && reads_ == *fail_after_) {
      throw Error(ErrorKind::invalid_argument, "numbers: the disk went away");
    }
    if (reads_ == count_) return std::nullopt;
    SourceRecord record;
    record.origin = "number " + std::to_string(reads_.load());
    record.row.set("n", Value(reads_.load()));
    ++reads_;
    return record;
  }

 private:
  int count_;
  std::atomic<int>& reads_;
  std::optional<int> fail_after_;
  std::vector<std::string> columns_{"n"};
};

TEST(PrefetchSource, GivesEveryRecordInOrderWithItsErrors) {
  notionsync::testing::TempDir dir;
  std::string csv = "name,age\n";
  for (int i = 0; i < 100; ++i) csv += "p" + std::to_string(i) + "," + std::to_string(i) + "\n";
  csv += "broken\n";  // one field short: an error on that record, not a failure of the source
  const std::string path = write_file(dir, "people.csv", csv);

  auto direct = read_all(*open_csv(path));
  auto source = prefetch(open_csv(path), sized(7, 2));
  EXPECT_EQ(source->columns(), (std::vector<std::string>{"name", "age"}));
  auto ahead = read_all(*source);

  ASSERT_EQ(ahead.size(), 101u);
  ASSERT_EQ(ahead.size(), direct.size());
  for (std::size_t i = 0; i < ahead.size(); ++i) {
    EXPECT_EQ(ahead[i].row, direct[i].row) << i;
    EXPECT_EQ(ahead[i].origin, direct[i].origin) << i;
    EXPECT_EQ(testing::all_errors({ahead[i]}), testing::all_errors({direct[i]})) << i;
  }
  EXPECT_EQ(ahead.back().errors.size(), 1u);
  EXPECT_FALSE(source->next());  // and stays at the end
}

TEST(PrefetchSource, ASourceFailureComesAfterTheRecordsReadBeforeIt) {
  std::atomic<int> reads = 0;
  auto source = prefetch(std::make_unique<NumberedSource>(100, reads, 10), sized(4, 2));
  for (int i = 0; i < 10; ++i) {
    auto record = source->next();
    ASSERT_TRUE(record) << i;
    EXPECT_EQ(record->origin, "number " + std::to_string(i));
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      source->next();
      FAIL() << "the source's failure was lost";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::invalid_argument);
      EXPECT_STREQ(error.what(), "numbers: the disk went away");
    }
  }
}

TEST(PrefetchSource, ReadsAheadAtMostItsBatchesAndStopsWhenDropped) {
  std::atomic<int> reads = 0;
  {
    auto source = prefetch(std::make_unique<NumberedSource>(100000, reads), sized(10, 3));
    ASSERT_TRUE(source->next());
  }  // destroyed with the reader blocked on a full queue: must return
  // One batch taken, three queued, one being filled when the queue was full.
  EXPECT_LE(reads.load(), 50);
  EXPECT_GE(reads.load(), 1);
}

TEST(PrefetchSource, ColumnsLearnedWhileReadingJsonlAppear) {
  notionsync::testing::TempDir dir;
  const std::string path =
      write_file(dir, "events.jsonl", "{\"a\": 1}\n{\"a\": 2, \"b\": \"x\"}\n{\"c\": true}\n");
  auto source = prefetch(open_jsonl(path), sized(1, 1));
  EXPECT_EQ(read_all(*source).size(), 3u);
  EXPECT_EQ(source->columns(), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(PrefetchSource, PrepareRunsOnEveryRecordAndItsFailureStopsTheSource) {
  std::atomic<int> reads = 0;
  PrefetchOptions options = sized(3, 2);
  options.prepare = [](SourceRecord& record) {
    const auto n = record.row.find("n")->as_integer();
    if (n == 7) throw Error(ErrorKind::invalid_value, "seven cannot be prepared");
    record.row.set("square", Value(n * n));
  };
  auto source = prefetch(std::make_unique<NumberedSource>(100, reads), options);
  for (std::int64_t n = 0; n < 7; ++n) {
    auto record = source->next();
    ASSERT_TRUE(record) << n;
    EXPECT_EQ(*record->row.find("square"), Value(n * n));
  }
  try {
    source->next();
    FAIL() << "the failure of prepare was lost";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::invalid_value);
  }
}

// prepare runs once per record, on whichever side has time: while the caller keeps up, in next()
// on the caller's thread; for a batch begun with half the read-ahead waiting, on the reading
// thread. Here the caller waits until the reading thread is blocked on a full queue, so the
// first half of the batches were begun with less waiting and the rest with at least half.
TEST(PrefetchSource, PrepareRunsOnTheReadingThreadOnlyWhileTheCallerIsBehind) {
  constexpr int batch = 5;
  constexpr int batches = 4;
  // Read before the reader blocks: the queued batches and the one it then fills and holds.
  constexpr int read_when_full = batch * (batches + 1);
  std::atomic<int> reads = 0;
  std::mutex mutex;
  std::condition_variable read_enough;
  // A source that tells the test once the reading thread has read `read_when_full` records.
  class SignallingSource : public NumberedSource {
   public:
    SignallingSource(std::atomic<int>& reads, std::mutex& mutex, std::condition_variable& done)
        : NumberedSource(100, reads), reads_(reads), mutex_(mutex), done_(done) {}
    std::optional<SourceRecord> next() override {
      auto record = NumberedSource::next();
      if (reads_ == read_when_full) {
        std::lock_guard lock(mutex_);
        done_.notify_all();
      }
      return record;
    }

   private:
    std::atomic<int>& reads_;
    std::mutex& mutex_;
    std::condition_variable& done_;
  };
  PrefetchOptions options = sized(batch, batches);
  std::vector<std::thread::id> prepared_by(100);
  std::vector<int> preparations(100, 0);
  options.prepare = [&](SourceRecord& record) {
    const auto n = record.row.find("n")->as_integer();
    prepared_by[n] = std::this_thread::get_id();
    ++preparations[n];
  };
  auto source = prefetch(std::make_unique<SignallingSource>(reads, mutex, read_enough), options);
  {
    std::unique_lock lock(mutex);
    read_enough.wait(lock, [&] { return reads >= read_when_full; });
  }
  const auto caller = std::this_thread::get_id();
  for (int n = 0; n < 100; ++n) {
    auto record = source->next();
    ASSERT_TRUE(record) << n;
    EXPECT_EQ(preparations[n], 1) << n;
    if (n < batch * batches / 2) {
      EXPECT_EQ(prepared_by[n], caller) << n;  // begun with fewer than half the batches waiting
    } else if (n < read_when_full) {
      EXPECT_NE(prepared_by[n], caller) << n;  // begun with half the batches or more waiting
    }
  }
  EXPECT_FALSE(source->next());
}

}  // namespace
}  // namespace notionsync::sources
