// notionsync: keep Notion databases in sync with the rows you declare. One include for a program:
//
//   #include <notionsync/notionsync.hpp>
//
//   notionsync::Sync sync({.token = notionsync::Token::from_env()});
//   auto tasks = sync.database(schema, notionsync::NewDatabase{.parent_page = id,
//                                                              .title = "Tasks"});
//   tasks.declare(task);
//   notionsync::SyncReport report = sync.run();
//
// sync.hpp says how a Sync behaves; typed_schema.hpp (Schema<T>) and database_schema.hpp
// (DatabaseSchema) how rows map to Notion properties; value.hpp the values a Row holds; error.hpp
// what throws and what is reported. With PostgreSQL, postgres/worker.hpp runs a worker that shares
// databases with programs on other machines (it is not included here: it needs that component).
#pragma once

#include "notionsync/core/error.hpp"
#include "notionsync/core/removal_limit.hpp"
#include "notionsync/core/row.hpp"
#include "notionsync/core/value.hpp"
#include "notionsync/notion/database_schema.hpp"
#include "notionsync/notion/token.hpp"
#include "notionsync/notion/typed_schema.hpp"
#include "notionsync/sync.hpp"
