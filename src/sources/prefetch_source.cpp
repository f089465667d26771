#include "notionsync/sources/prefetch_source.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace notionsync::sources {
namespace {

class PrefetchSource final : public RowSource {
 public:
  PrefetchSource(std::unique_ptr<RowSource> source, PrefetchOptions options)
      : source_(std::move(source)),
        batch_size_(std::max<std::size_t>(options.batch_size, 1)),
        max_batches_(std::max<std::size_t>(options.max_batches, 1)),
        prepare_(std::move(options.prepare)),
        columns_(source_->columns()) {
    reader_ = std::thread([this, known_columns = columns_.size()] { read_ahead(known_columns); });
  }

  ~PrefetchSource() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    space_.notify_all();
    reader_.join();
  }

  PrefetchSource(const PrefetchSource&) = delete;
  PrefetchSource& operator=(const PrefetchSource&) = delete;

  const std::vector<std::string>& columns() const override { return columns_; }

  std::optional<SourceRecord> next() override {
    while (position_ == current_.records.size()) {
      if (current_.error) std::rethrow_exception(current_.error);
      if (current_.last) return std::nullopt;
      take_batch();
    }
    SourceRecord& record = current_.records[position_++];
    if (prepare_ && !current_.prepared) {
      try {
        prepare_(record);
      } catch (...) {
        // As when it fails on the reading thread: nothing after the record that failed.
        current_.error = std::current_exception();
        current_.last = true;
        current_.records.clear();
        position_ = 0;
        throw;
      }
    }
    return std::move(record);
  }

 private:
  struct Batch {
    std::vector<SourceRecord> records;
    std::optional<std::vector<std::string>> columns;  // set when the source's columns grew
    std::exception_ptr error;                         // the source failed after `records`
    bool last = false;                                // nothing comes after this batch
    bool prepared = false;                            // prepare ran on the reading thread
  };

  void take_batch() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return !queue_.empty(); });
    current_ = std::move(queue_.front());
    queue_.pop_front();
    queued_ = queue_.size();
    lock.unlock();
    space_.notify_one();
    position_ = 0;
    if (current_.columns) columns_ = std::move(*current_.columns);
  }

  // The reading thread: fills batches until the source ends or fails, or the wrapper goes away.
  void read_ahead(std::size_t known_columns) {
    for (;;) {
      Batch batch;
      batch.records.reserve(batch_size_);
      // Half the read-ahead waiting: the caller is the slower side, so this thread prepares the
      // batch too. Otherwise the caller prepares each record as it takes it, and this thread only
      // reads. Whichever side has time does the work, whatever the source or the caller cost.
      batch.prepared = prepare_ && queued_ >= std::max<std::size_t>(max_batches_ / 2, 1);
      try {
        while (batch.records.size() < batch_size_ && !stopping_) {
          auto record = source_->next();
          if (!record) {
            batch.last = true;
            break;
          }
          if (batch.prepared) prepare_(*record);
          batch.records.push_back(std::move(*record));
        }
        if (source_->columns().size() != known_columns) {
          batch.columns = source_->columns();
          known_columns = batch.columns->size();
        }
      } catch (...) {
        batch.error = std::current_exception();
        batch.last = true;
      }
      const bool last = batch.last;
      {
        std::unique_lock lock(mutex_);
        space_.wait(lock, [&] { return stopping_ || queue_.size() < max_batches_; });
        if (stopping_) return;
        queue_.push_back(std::move(batch));
        queued_ = queue_.size();
      }
      ready_.notify_one();
      if (last) return;
    }
  }

  std::unique_ptr<RowSource> source_;  // used by the reading thread only, once it has started
  const std::size_t batch_size_;
  const std::size_t max_batches_;
  const std::function<void(SourceRecord&)> prepare_;  // on either thread, once per record

  // The caller's side.
  std::vector<std::string> columns_;
  Batch current_;
  std::size_t position_ = 0;

  std::mutex mutex_;
  std::condition_variable ready_;  // a batch was queued
  std::condition_variable space_;  // a batch was taken, or the wrapper is stopping
  std::deque<Batch> queue_;
  // queue_.size(), for the reading thread to look at without taking the lock.
  std::atomic<std::size_t> queued_ = 0;
  std::atomic<bool> stopping_ = false;
  std::thread reader_;  // last: started once everything above exists
};

}  // namespace

std::unique_ptr<RowSource> prefetch(std::unique_ptr<RowSource> source, PrefetchOptions options) {
  return std::make_unique<PrefetchSource>(std::move(source), options);
}

}  // namespace notionsync::sources
