// The requests behind the recorded Notion answers of ../shared/reference/notion-shapes-*.json:
// one function per case, sending the request that case answered (the same method, endpoint and
// body up to ids) to the emulator, after building the workspace state it needs.
//
// Bodies are written the way the recording client wrote them: rich text items echo `plain_text`
// and annotations without `color`, relation values carry `has_more`, people carry
// `object: "user"`. Notion accepted each of them; so must the emulator.
//
// Cases run in the shapes file's order against one emulator; each takes what it needs from the
// earlier steps through memoized fixtures, so a case also runs on its own.

const annotations = { bold: false, italic: false, strikethrough: false, underline: false, code: false };

// A rich text array as a client that round-trips response objects sends it.
export function echoedText(content) {
  return [{ type: "text", plain_text: content, annotations, text: { content } }];
}

function title(content) {
  return { type: "title", title: echoedText(content) };
}

function once(make) {
  let promise;
  return () => (promise ??= make());
}

// `call(method, path, body)` answers {status, body}; `rootPageId` is the shared page; `version`
// is the Notion-Version the cases are sent with; `people` lists the workspace's users by type.
export function replayCases({ call, rootPageId, version, uniqueIdPrefix, personId }) {
  const ok = async (method, path, body) => {
    const answer = await call(method, path, body);
    if (answer.status !== 200) {
      throw new Error(`${method} ${path} (a fixture) answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
    return answer.body;
  };
  const underRoot = { type: "page_id", page_id: rootPageId };
  const database = (name, properties, parent = underRoot) => ({
    parent,
    title: echoedText(name),
    is_inline: false,
    initial_data_source: { properties },
  });
  const trash = (value) => (version === "2025-09-03" ? { archived: value } : { in_trash: value });

  // test_all_createable_props_schema: a page, database A and database B with every property type.
  const statePage = once(() => call("POST", "/v1/pages", {
    parent: underRoot,
    properties: { title: title("State Page for ID Prefix ALLCOLS") },
  }));
  const createA = once(() => call("POST", "/v1/databases",
    database("Schema A", { Name: { type: "title", title: {} } })));
  const dataSourceA = async () => (await createA()).body.data_sources[0].id;
  const describeA = once(async () => call("PATCH", `/v1/databases/${(await createA()).body.id}`, {
    description: echoedText("Only used to create relations in Schema B"),
  }));
  const createB = once(async () => {
    await describeA();
    const a = await dataSourceA();
    return call("POST", "/v1/databases", database("Schema B", {
      Checkbox: { type: "checkbox", checkbox: {} },
      "Created by": { type: "created_by", created_by: {} },
      "Created time": { type: "created_time", created_time: {} },
      Date: { type: "date", date: {} },
      Email: { type: "email", email: {} },
      Files: { type: "files", files: {} },
      Formula: { type: "formula", formula: { expression: 'prop("Number") * 2' } },
      "Last edited by": { type: "last_edited_by", last_edited_by: {} },
      "Last edited time": { type: "last_edited_time", last_edited_time: {} },
      "Multi-select": { type: "multi_select", multi_select: { options: [{ name: "Option1" }, { name: "Option2", color: "red" }] } },
      Number: { type: "number", number: { format: "dollar" } },
      People: { type: "people", people: {} },
      "Phone number": { type: "phone_number", phone_number: {} },
      Relation: { type: "relation", relation: { type: "single_property", data_source_id: a, single_property: {} } },
      "Relation two-way": { type: "relation", relation: { type: "dual_property", data_source_id: a, dual_property: {} } },
      Rollup: { type: "rollup", rollup: { function: "count", relation_property_name: "Relation", rollup_property_name: "Name" } },
      Select: { type: "select", select: { options: [{ name: "Option1" }, { name: "Option2", color: "red" }] } },
      Text: { type: "rich_text", rich_text: {} },
      Title: { type: "title", title: {} },
      URL: { type: "url", url: {} },
      ID: { type: "unique_id", unique_id: { prefix: uniqueIdPrefix } },
    }));
  });
  const dataSourceB = async () => (await createB()).body.data_sources[0].id;
  const describeB = once(async () => call("PATCH", `/v1/databases/${(await createB()).body.id}`, {
    description: echoedText("Actual interesting schema/db"),
  }));
  const renameSynced = once(async () => {
    await describeB();
    const a = await ok("GET", `/v1/data_sources/${await dataSourceA()}`);
    const synced = Object.values(a.properties).find((property) => property.type === "relation");
    return call("PATCH", `/v1/data_sources/${a.id}`, { properties: { [synced.id]: { name: "Relation" } } });
  });
  const touchB = once(async () => {
    await renameSynced();
    return call("PATCH", `/v1/data_sources/${await dataSourceB()}`, { properties: {} });
  });
  const pageInA = (name) => once(async () => {
    await touchB();
    return call("POST", "/v1/pages", {
      parent: { type: "data_source_id", data_source_id: await dataSourceA() },
      properties: { Name: title(name) },
    });
  });
  const item1 = pageInA("Item 1");
  const item2 = pageInA("Item 2");
  const emptyPageInB = once(async () => {
    await item2();
    return call("POST", "/v1/pages", { parent: { type: "data_source_id", data_source_id: await dataSourceB() }, properties: {} });
  });
  const fullPageInB = async () => {
    await emptyPageInB();
    const related = [{ id: (await item1()).body.id }, { id: (await item2()).body.id }];
    return call("POST", "/v1/pages", {
      parent: { type: "data_source_id", data_source_id: await dataSourceB() },
      properties: {
        Checkbox: { type: "checkbox", checkbox: true },
        Date: { type: "date", date: { start: "2021-01-01" } },
        Email: { type: "email", email: "email@provider.com" },
        Files: { type: "files", files: [{ type: "external", name: "My File", external: { url: "https://www.google.de/robots.txt" } }] },
        "Multi-select": { type: "multi_select", multi_select: [{ name: "Option1" }] },
        Number: { type: "number", number: 42 },
        People: { people: [{ id: personId, object: "user" }], type: "people" },
        "Phone number": { type: "phone_number", phone_number: "+1 234 567 890" },
        Relation: { type: "relation", relation: related, has_more: false },
        "Relation two-way": { type: "relation", relation: related, has_more: false },
        Select: { type: "select", select: { name: "Option1" } },
        Text: { type: "rich_text", rich_text: echoedText("Text") },
        Title: title("Title"),
        URL: { type: "url", url: "https://ultimate-notion.com/" },
      },
    });
  };
  // The recording creates the full page twice in a row: the second is page number 3.
  const firstFullPage = once(fullPageInB);
  const secondFullPage = once(async () => { await firstFullPage(); return fullPageInB(); });

  // mod_all_props_db's search: data sources matching "DB", two of them in trashed databases.
  const formulaDatabase = once(() => ok("POST", "/v1/databases", database("Formula DB", {
    Name: { type: "title", title: {} },
    "Date Source": { type: "date", date: {} },
    Tags: { type: "multi_select", multi_select: { options: [{ name: "In Progress", color: "pink" }, { name: "Done", color: "gray" }] } },
    Date: { type: "formula", formula: { expression: 'prop("Date Source")' } },
    String: { type: "formula", formula: { expression: 'format(prop("Name"))' } },
    Checkbox: { type: "formula", formula: { expression: 'prop("Tags").includes("Done")' } },
    Number: { type: "formula", formula: { expression: 'prop("Tags").length()' } },
  })));

  // test_more_than_max_refs_per_relation_property: a customer related to 30 items.
  // The formula database comes first, so that a search for "DB" finds the three in the recorded order.
  const itemDatabase = once(async () => {
    await formulaDatabase();
    const created = await ok("POST", "/v1/databases", database("Item DB for max relation items", {
      Name: { type: "title", title: {} },
      Price: { type: "number", number: { format: "dollar" } },
    }));
    await ok("PATCH", `/v1/databases/${created.id}`, { description: echoedText("Database of all items") });
    return created;
  });
  const customerDatabase = once(async () => {
    const items = (await itemDatabase()).data_sources[0].id;
    const created = await ok("POST", "/v1/databases", database("Customer DB for max relation items", {
      Name: { type: "title", title: {} },
      "Items Purchased": { type: "relation", relation: { type: "dual_property", data_source_id: items, dual_property: {} } },
    }));
    await ok("PATCH", `/v1/databases/${created.id}`, { description: echoedText("Database for customers") });
    return created;
  });
  const customerWithItems = once(async () => {
    const customers = (await customerDatabase()).data_sources[0].id;
    const items = (await itemDatabase()).data_sources[0].id;
    const source = await ok("GET", `/v1/data_sources/${items}`);
    const backLink = Object.values(source.properties).find((property) => property.type === "relation");
    await ok("PATCH", `/v1/data_sources/${items}`, { properties: { [backLink.id]: { name: "Bought by" } } });
    const related = [];
    for (let i = 1; i <= 30; i += 1) {
      const item = await ok("POST", "/v1/pages", { parent: { type: "data_source_id", data_source_id: items }, properties: { Name: title(`Item ${i}`) } });
      related.push({ id: item.id });
    }
    const customer = await ok("POST", "/v1/pages", {
      parent: { type: "data_source_id", data_source_id: customers },
      properties: { Name: title("Customer 1"), "Items Purchased": { type: "relation", relation: related } },
    });
    return { customer, property: customer.properties["Items Purchased"].id };
  });

  // test_select_query: a database of select values and four pages.
  const selectOptions = () => ({ options: [{ name: "Backlog", color: "gray" }, { name: "In Progress", color: "blue" }, { name: "Done", color: "green" }] });
  const selectDatabase = once(() => call("POST", "/v1/databases", database("(Multi)-Select Query DB Test", {
    Title: { type: "title", title: {} },
    Select: { type: "select", select: selectOptions() },
    "Multi-Select": { type: "multi_select", multi_select: selectOptions() },
  })));
  const selectDataSource = async () => (await selectDatabase()).body.data_sources[0].id;
  const selectPage = (name, select, multi) => async () => call("POST", "/v1/pages", {
    parent: { type: "data_source_id", data_source_id: await selectDataSource() },
    properties: name === null ? {} : { Title: title(name), Select: { type: "select", select }, "Multi-Select": { type: "multi_select", multi_select: multi } },
  });
  const selectPages = once(async () => {
    await ok("GET", `/v1/data_sources/${await selectDataSource()}`);
    await selectPage(null)();
    const done = await selectPage("Done", { name: "Done", color: "green" }, [{ name: "Done", color: "green" }, { name: "In Progress", color: "blue" }])();
    await selectPage("In Progress", { name: "In Progress", color: "blue" }, [{ name: "Backlog", color: "gray" }, { name: "In Progress", color: "blue" }])();
    await selectPage("Backlog", { name: "Backlog", color: "gray" }, [{ name: "Backlog", color: "gray" }])();
    return done;
  });
  const selectQuery = async (select) => {
    await selectPages();
    return call("POST", `/v1/data_sources/${await selectDataSource()}/query`, { filter: { select, property: "Select" }, page_size: 100 });
  };

  // test_add_del_update_prop: a data source losing two properties and gaining one.
  const propertyDatabase = once(async () => {
    const created = await ok("POST", "/v1/databases", database("Add/Del/Update Prop-Test", {
      Name: { type: "title", title: {} },
      Category: { type: "select", select: { options: [{ name: "Cat1", color: "default" }, { name: "Cat2", color: "red" }] } },
      Tags: { type: "multi_select", multi_select: { options: [{ name: "Cat1", color: "default" }, { name: "Cat2", color: "red" }] } },
      Formula: { type: "formula", formula: { expression: 'prop("Name")' } },
    }));
    await ok("PATCH", `/v1/databases/${created.id}`, { description: echoedText("Schema for testing adding, deleting and updating properties") });
    return created.data_sources[0].id;
  });
  const deleteFormula = once(async () => call("PATCH", `/v1/data_sources/${await propertyDatabase()}`, { properties: { Formula: null } }));

  // Pages under the root page, one per page attribute test.
  const pageUnderRoot = (name) => once(() => ok("POST", "/v1/pages", {
    parent: underRoot,
    properties: name === null ? {} : { title: title(name) },
  }));
  const iconPage = pageUnderRoot("My new page with icon");
  const coverPage = pageUnderRoot("My new page with cover");
  const lockPage = pageUnderRoot("Lockable page");
  const trashPage = pageUnderRoot(null);
  const iconSet = once(async () => call("PATCH", `/v1/pages/${(await iconPage()).id.replaceAll("-", "")}`, { icon: { type: "emoji", emoji: "🐍" } }));
  const coverSet = once(async () => call("PATCH", `/v1/pages/${(await coverPage()).id.replaceAll("-", "")}`, {
    cover: { type: "external", external: { url: "https://www.notion.so/images/page-cover/woodcuts_2.jpg" } },
  }));
  const trashed = once(async () => call("PATCH", `/v1/pages/${(await trashPage()).id.replaceAll("-", "")}`, trash(true)));

  // test_update_props: a contacts database and a page renamed through its title's id.
  const contactPage = once(async () => {
    const created = await ok("POST", "/v1/databases", database("Contacts DB for low-level page update test", {
      Name: { type: "title", title: {} },
      Role: { type: "rich_text", rich_text: {} },
    }));
    const source = created.data_sources[0].id;
    await ok("GET", `/v1/data_sources/${source}`);
    return ok("POST", "/v1/pages", { parent: { type: "data_source_id", data_source_id: source }, properties: { title: title("My new page with properties") } });
  });

  // test_create_child_blocks: a database created without a title under a new page.
  const untitledDatabase = once(async () => {
    const holder = await ok("POST", "/v1/pages", { parent: underRoot, properties: { title: title("Page for creating child blocks") } });
    await ok("POST", "/v1/pages", { parent: { type: "page_id", page_id: holder.id }, properties: { title: title("Subpage") } });
    return ok("POST", "/v1/databases", { parent: { type: "page_id", page_id: holder.id }, is_inline: false, initial_data_source: { properties: { Name: { type: "title", title: {} } } } });
  });

  return {
    users_me: () => call("GET", "/v1/users/me"),
    users_list: () => call("GET", "/v1/users?page_size=100"),
    get_root_page: () => call("GET", `/v1/pages/${rootPageId}`),
    create_page_under_page: statePage,
    request_plain_text_accepted: statePage,
    create_db_A: createA,
    patch_db_A_description: describeA,
    get_ds_A: async () => { await describeA(); return call("GET", `/v1/data_sources/${await dataSourceA()}`); },
    create_db_B_all_props: createB,
    patch_db_B_description: describeB,
    get_ds_B_all_props: async () => { await describeB(); return call("GET", `/v1/data_sources/${await dataSourceB()}`); },
    patch_ds_A_rename_synced: renameSynced,
    patch_ds_B_empty: touchB,
    create_page_in_A: item1,
    create_empty_page_in_B: emptyPageInB,
    create_full_page_in_B: firstFullPage,
    request_relation_has_more_accepted: secondFullPage,
    property_item_relation: async () => {
      const { customer, property } = await customerWithItems();
      return call("GET", `/v1/pages/${customer.id}/properties/${encodeURIComponent(decodeURIComponent(property))}?page_size=100`);
    },
    query_ds_B: () => selectQuery({ is_not_empty: true }),
    create_db_select: selectDatabase,
    get_ds_select: async () => call("GET", `/v1/data_sources/${await selectDataSource()}`),
    create_page_select_values: selectPages,
    query_select_equals: () => selectQuery({ equals: "Done" }),
    patch_ds_delete_prop: deleteFormula,
    patch_ds_add_number_prop: async () => {
      await deleteFormula();
      const source = await propertyDatabase();
      await ok("PATCH", `/v1/data_sources/${source}`, { properties: { Tags: null } });
      return call("PATCH", `/v1/data_sources/${source}`, { properties: { Number: { type: "number", number: { format: "dollar" } } } });
    },
    patch_page_properties: async () => call("PATCH", `/v1/pages/${(await contactPage()).id.replaceAll("-", "")}`, {
      properties: { Name: title("John Doe"), Role: { type: "rich_text", rich_text: [] } },
    }),
    patch_page_icon_emoji: iconSet,
    get_page_with_icon: async () => { await iconSet(); return call("GET", `/v1/pages/${(await iconPage()).id}`); },
    patch_page_icon_null: async () => { await iconSet(); return call("PATCH", `/v1/pages/${(await iconPage()).id.replaceAll("-", "")}`, { icon: null }); },
    patch_page_cover_external: coverSet,
    patch_page_cover_null: async () => { await coverSet(); return call("PATCH", `/v1/pages/${(await coverPage()).id.replaceAll("-", "")}`, { cover: null }); },
    patch_page_lock: async () => call("PATCH", `/v1/pages/${(await lockPage()).id.replaceAll("-", "")}`, { is_locked: true }),
    patch_page_archive: trashed,
    patch_page_unarchive: async () => { await trashed(); return call("PATCH", `/v1/pages/${(await trashPage()).id.replaceAll("-", "")}`, trash(false)); },
    get_database: async () => call("GET", `/v1/databases/${(await untitledDatabase()).id}`),
    create_data_source: async () => {
      const items = await ok("POST", "/v1/databases", database("Items", { Name: { type: "title", title: {} } }));
      await ok("GET", `/v1/data_sources/${items.data_sources[0].id}`);
      await ok("GET", `/v1/databases/${items.id}`);
      return call("POST", "/v1/data_sources", {
        parent: { type: "database_id", database_id: items.id },
        properties: { Name: { type: "title", title: {} } },
        title: echoedText("People"),
      });
    },
    search_data_source: async () => {
      await formulaDatabase();
      await customerWithItems();
      for (const created of [await itemDatabase(), await customerDatabase()]) await ok("DELETE", `/v1/blocks/${created.id}`);
      return call("POST", "/v1/search", { query: "DB", filter: { property: "object", value: "data_source" }, page_size: 100 });
    },
    search_page: async () => {
      await statePage();
      return call("POST", "/v1/search", { query: "State Page for ID Prefix ALLCOLS", filter: { property: "object", value: "page" }, page_size: 100 });
    },
    delete_db_B_block: async () => call("DELETE", `/v1/blocks/${(await createB()).body.id}`),
    delete_db_A_block: async () => call("DELETE", `/v1/blocks/${(await createA()).body.id}`),
    error_page_not_found: () => call("GET", "/v1/pages/7855b161-f63e-4683-b7c7-8ca6e97ee266"),
    error_page_invalid_uuid: () => call("GET", "/v1/pages/12345678-1234-1234-1234-123456789abc"),
    error_user_not_found: () => call("GET", "/v1/users/745e79dd-3e43-40de-9d51-39357c1c428f"),
  };
}
