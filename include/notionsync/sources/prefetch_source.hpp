// Reading a source ahead on a thread of its own, so that reading and parsing (CSV tokenizing, JSON
// parsing, database round trips) overlap with what the caller does with each record (conversion,
// encoding, fingerprints).
//
//   auto source = sources::prefetch(sources::open_csv("people.csv"));
//   while (auto record = source->next()) declare(*record);
//
// Records come out in the source's order. An error the source throws comes out of next() in its
// place, after every record read before it, and again on each later call. At most
// `max_batches` batches of `batch_size` records are held, so memory stays bounded whatever the
// size of the source. Destroying the wrapper stops the reading thread (after the record it is
// reading) and joins it.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>

#include "notionsync/sources/row_source.hpp"

namespace notionsync::sources {

struct PrefetchOptions {
  std::size_t batch_size = 256;  // records handed over at a time: one lock per batch, not per row
  std::size_t max_batches = 8;   // read-ahead limit, in batches
  // Optional: run once on each record before next() gives it out (converting its values, say).
  // It runs on whichever thread has time: on the reading thread for a batch read while the
  // caller is behind (half the read-ahead waiting), else on the caller's thread in next(). So it
  // must not depend on which thread runs it. What it throws is handled like the source's own
  // errors: next() throws it after the records before it, and again on each later call.
  std::function<void(SourceRecord&)> prepare;
};

// Wraps `source`, which from then on is used only by the reading thread. columns() gives the
// source's columns as of the records handed out so far (for JSONL they grow as keys appear).
std::unique_ptr<RowSource> prefetch(std::unique_ptr<RowSource> source,
                                    PrefetchOptions options = {});

}  // namespace notionsync::sources
