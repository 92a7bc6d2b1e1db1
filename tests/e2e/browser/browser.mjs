// Drives the browser client (web/, served by chat-server at /app/) in a real headless Chromium
// through playwright-core, as a user would: a wrong password, logging in, the seeded history of
// #general, sending, and seeing another user's message, edit and delete arrive live over the
// gateway; their text shown as text (no HTML injection); reacting and seeing another user's
// reaction live; sending a file; the member list, and a newcomer arriving in it; starting a thread
// in #general, talking in it both ways, and another user's thread appearing, renamed and archived
// live in the sidebar; a post started in a forum, answered live; an event scheduled, another
// user's interest in it and their own event (with its cover image) shown live; a poll posted,
// another user's vote shown live, the page's vote, its end and the result message; a forwarded
// message; following an announcement channel and publishing there, the copy arriving; a slash
// command run from the composer and answered by a bot, whose answer's select menu and button the
// page uses, filling in the form the button opens; opening a DM from another user's name and
// talking there both ways, and again from the member list; adding a third person to make a group
// DM, which the other user renames and writes in live, and leaving it; a sticker the other user
// sends, shown as its image; a message an auto moderation rule blocks, with the reason, and the
// rule's alert; a reload keeping the session (and the
// thread listed); logging out.
// Prints OK and exits 0, or prints what went wrong and exits 1.
//   usage: node browser.mjs PORT OTHER_USER_TOKEN      (CHROMIUM: the browser, /usr/bin/chromium)
import { chromium } from "playwright-core";

const [port, otherToken] = process.argv.slice(2);
const base = `http://127.0.0.1:${port}`;
const TIMEOUT = 15000;
// A 1x1 PNG, as a scheduled event's cover.
const COVER = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4" +
  "//8/AAX+Av4N70a4AAAAAElFTkSuQmCC";

function check(condition, what) {
  if (!condition) throw new Error(`check failed: ${what}`);
}

// REST as the other user (the one whose messages the page must show live).
async function asOther(method, path, body) {
  const r = await fetch(`${base}/api/v10${path}`, {
    method,
    headers: { Authorization: `Bearer ${otherToken}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  check(r.ok, `${method} ${path} answered ${r.status}`);
  return r.status === 204 ? null : r.json();
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
let failed = false;
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  page.on("dialog", (d) => {
    pageErrors.push(`a dialog opened: ${d.message()}`);
    d.dismiss();
  });
  const message = (text) => page.locator("#messages li", { hasText: text });

  // GET / sends the browser to the client.
  await page.goto(`${base}/`);
  check(new URL(page.url()).pathname === "/app/", `landed on ${page.url()}`);

  await page.fill('input[name="login"]', "testuser1");
  await page.fill('input[name="password"]', "not the password");
  await page.click("#login-submit");
  await page.locator("#login-error", { hasText: "Wrong username or password." }).waitFor();

  await page.fill('input[name="password"]', "TestUser1@123");
  await page.click("#login-submit");
  await page.getByRole("button", { name: "Test Server" }).waitFor();
  await page.locator("#channels button", { hasText: "general" }).waitFor();
  await page.locator("#me", { hasText: "Test User 1" }).waitFor(); // the display name
  await message("Welcome to the test server!").waitFor();
  await page.locator("#status", { hasText: "live" }).waitFor();
  // The server's members are listed by their nicknames in it (the seed's).
  await page.locator("#member-list button", { hasText: "User Two" }).waitFor();
  check(await page.locator("#member-list button", { hasText: "User One" }).count() === 1,
        "the page's own user is not in the member list");
  // Someone joining shows up in it live.
  const joiner = `joiner_${Date.now() % 1000000000}`;
  const invite = await asOther("POST", "/channels/1/invites", { max_age: 0 });
  const registered = await fetch(`${base}/api/v10/auth/register`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: joiner, email: `${joiner}@x.io`, password: "StrongP@ss123" }),
  });
  check(registered.ok, `register answered ${registered.status}`);
  const joinerLogin = await (await fetch(`${base}/api/v10/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ login: joiner, password: "StrongP@ss123" }),
  })).json();
  const joined = await fetch(`${base}/api/v10/invites/${invite.code}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${joinerLogin.access_token}` },
  });
  check(joined.ok, `joining answered ${joined.status}`);
  await page.locator("#member-list button", { hasText: joiner }).waitFor();

  // Sending: the message shows once, though both the POST's answer and the gateway bring it.
  const mine = `hello from the browser ${Date.now()}`;
  await page.fill("#message-input", mine);
  await page.press("#message-input", "Enter");
  await message(mine).waitFor();

  // Another user's message arrives live; its markup is shown as text.
  const live = `<img src=x onerror="alert(1)"> live ${Date.now()}`;
  const posted = await asOther("POST", "/channels/1/messages", { content: live });
  const item = message(live);
  await item.waitFor();
  check((await item.locator("img").count()) === 0, "markup in a message became an element");
  check((await message(mine).count()) === 1, "the page's own message shows more than once");

  await asOther("PATCH", `/channels/1/messages/${posted.id}`, { content: `edited ${posted.id}` });
  await message(`edited ${posted.id} (edited)`).waitFor();
  await asOther("DELETE", `/channels/1/messages/${posted.id}`);
  await message(`edited ${posted.id}`).waitFor({ state: "detached" });

  // Reactions: the page's own, then another user's arriving live, then taking the own one back.
  const own = message(mine);
  await own.locator("button.reaction.add").click();
  await own.locator('button.reaction[aria-pressed="true"]', { hasText: "👍 1" }).waitFor();
  const mineId = await own.getAttribute("data-id");
  await asOther("PUT", `/channels/1/messages/${mineId}/reactions/${encodeURIComponent("👍")}/@me`);
  await own.locator("button.reaction", { hasText: "👍 2" }).waitFor();
  await own.locator("button.reaction", { hasText: "👍 2" }).click();
  await own.locator('button.reaction[aria-pressed="false"]', { hasText: "👍 1" }).waitFor();
  const reacted = await asOther("GET", `/channels/1/messages/${mineId}`);
  check(reacted.reactions?.length === 1 && reacted.reactions[0].count === 1,
        `reactions on the server: ${JSON.stringify(reacted.reactions)}`);

  // A file goes as discord.js sends one (payload_json + files[0]) and shows as a link.
  const withFile = `a file from the browser ${Date.now()}`;
  await page.setInputFiles("#file-input", {
    name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("browser upload"),
  });
  await page.locator("#file-name", { hasText: "notes.txt" }).waitFor(); // the pick is shown
  await page.fill("#message-input", withFile);
  await page.press("#message-input", "Enter");
  const fileLink = message(withFile).locator("a", { hasText: "notes.txt" });
  await fileLink.waitFor();
  check((await page.locator("#file-name").textContent()) === "", "the sent file is still picked");
  const download = await fetch(new URL(await fileLink.getAttribute("href"), base));
  check(download.ok && (await download.text()) === "browser upload", "the upload did not arrive");

  // A slash command: "/roll label:…" runs the test bot's command, whose answer shows as the bot's
  // message; a /word that names no command is sent as text.
  const label = `dice${Date.now() % 100000}`;
  await page.fill("#message-input", `/roll label:${label}`);
  await page.press("#message-input", "Enter");
  await message(`rolled 4 for ${label}`).waitFor();
  // The answer carries a menu and a button: picking a die updates the message in place; the button
  // opens the bot's form, whose submission renames the roll.
  await message(`rolled 4 for ${label}`).locator("select").selectOption("20");
  await message(`rolled 20 for ${label}`).waitFor();
  await message(`rolled 20 for ${label}`).getByRole("button", { name: "Rename" }).click();
  await page.locator("#modal[open]").waitFor();
  check((await page.locator("#modal-title").textContent()) === "Rename the roll", "the form's title");
  await page.fill('#modal-fields input[name="label"]', `${label}x`);
  await page.click('#modal-form button[type="submit"]');
  await message(`rolled 20 for ${label}x`).waitFor();
  await page.locator("#modal[open]").waitFor({ state: "detached" });
  check((await page.locator("#messages li", { hasText: "rolled" }).count()) === 1, "the roll was repeated");
  await page.fill("#message-input", "/notacommand here");
  await page.press("#message-input", "Enter");
  await message("/notacommand here").waitFor();

  // Threads: one started from #general's header is listed under it and opens, empty; messages in
  // it, the page's and another user's, show there.
  const thread = (name) => page.locator("#channels li.thread button", { hasText: name });
  const threadName = `a thread ${Date.now()}`;
  await page.click("#new-thread");
  await page.fill("#thread-name", threadName);
  await page.press("#thread-name", "Enter");
  await page.locator('#channels li.thread button[aria-current="true"]', { hasText: threadName })
    .waitFor();
  await page.locator("#channel-name", { hasText: threadName }).waitFor();
  await message(mine).waitFor({ state: "detached" }); // #general's messages are gone
  check(await page.locator("#new-thread").isHidden(), "a thread offers to start a thread");
  const inThread = `in the thread ${Date.now()}`;
  await page.fill("#message-input", inThread);
  await page.press("#message-input", "Enter");
  await message(inThread).waitFor();
  const active = await asOther("GET", "/guilds/1/threads/active");
  const started = active.threads.find((t) => t.name === threadName);
  check(started && started.parent_id === "1" && started.type === 11,
        `the thread on the server: ${JSON.stringify(started)}`);
  const threadHistory = await asOther("GET", `/channels/${started.id}/messages?limit=5`);
  check(threadHistory.some((m) => m.content === inThread), "the message is not in the thread");
  const answer = `an answer in the thread ${Date.now()}`;
  await asOther("POST", `/channels/${started.id}/messages`, { content: answer });
  await message(answer).waitFor();
  // Another user's thread appears live, is renamed live, and leaves the list once archived.
  const theirs = `their thread ${Date.now()}`;
  const created = await asOther("POST", "/channels/1/threads", { name: theirs, type: 11 });
  await thread(theirs).waitFor();
  await asOther("PATCH", `/channels/${created.id}`, { name: `${theirs} renamed` });
  await thread(`${theirs} renamed`).waitFor();
  await asOther("PATCH", `/channels/${created.id}`, { archived: true });
  await thread(theirs).waitFor({ state: "detached" });
  check(await thread(threadName).count() === 1, "the page's thread left the list");
  await page.locator("#channels li:not(.thread) button", { hasText: "general" }).click();
  await message(mine).waitFor();

  // A forum (the test made it as an admin) takes posts, not messages: a post started from the page
  // opens with its first message, and another user's answer in it arrives live.
  await page.locator("#channels li.forum button", { hasText: "questions" }).click();
  await page.locator("#composer").waitFor({ state: "hidden" });
  await page.click("#new-thread");
  const postTitle = `a post ${Date.now()}`;
  await page.fill("#thread-name", postTitle);
  await page.fill("#post-message", "how do I start?");
  await page.press("#post-message", "Enter");
  await page.locator("#channel-name", { hasText: postTitle }).waitFor();
  await message("how do I start?").waitFor();
  const posts = await asOther("GET", "/guilds/1/threads/active");
  const post = posts.threads.find((t) => t.name === postTitle);
  check(post && post.type === 11, `the post on the server: ${JSON.stringify(post)}`);
  await asOther("POST", `/channels/${post.id}/messages`, { content: "like this" });
  await message("like this").waitFor();
  await page.locator("#channels li:not(.thread) button", { hasText: "general" }).click();
  await message(mine).waitFor();

  // Polls: the page posts one; another user's vote shows live; the page votes, then ends it, and
  // the result message says how it went.
  const question = `lunch ${Date.now()}`;
  await page.click("#new-poll");
  await page.fill("#poll-question", question);
  await page.fill("#poll-answers", "Pizza\nSushi");
  await page.click('#poll-form button[type="submit"]');
  const pollBox = page.locator("#messages .poll", { hasText: question });
  await pollBox.waitFor();
  const recent = await asOther("GET", "/channels/1/messages?limit=5");
  const asked = recent.find((m) => m.poll?.question.text === question);
  check(asked, "the poll the page posted is not in the channel");
  await asOther("PUT", `/channels/1/polls/${asked.id}/answers/@me`, { answer_ids: ["2"] });
  await pollBox.locator(".poll-answer", { hasText: "Sushi — 1" }).waitFor();
  await pollBox.locator(".poll-answer", { hasText: "Pizza" }).click();
  await pollBox.locator('.poll-answer[aria-pressed="true"]', { hasText: "Pizza — 1" }).waitFor();
  await pollBox.locator(".poll-end").click();
  await pollBox.locator(".poll-footer", { hasText: "Poll ended" }).waitFor();
  await pollBox.locator('.poll-answer[aria-pressed="true"]', { hasText: "Pizza — 1" }).waitFor();
  await message(`The poll "${question}" has ended: no single winner (2 votes)`).waitFor();

  // A message another user forwards shows what it forwards.
  const forwardMe = `worth passing on ${Date.now()}`;
  const toForward = await asOther("POST", "/channels/1/messages", { content: forwardMe });
  await asOther("POST", "/channels/1/messages", {
    message_reference: { type: 1, message_id: toForward.id, channel_id: "1" } });
  await message(`Forwarded: ${forwardMe}`).waitFor();

  // Channel following: the page makes #general follow #news, publishes a message there, and the
  // copy arrives in #general under the name of the channel it comes from.
  await page.locator("#channels button", { hasText: "news" }).click();
  await page.locator("#channel-name", { hasText: "news" }).waitFor();
  await page.click("#follow");
  await page.selectOption("#follow-target", { label: "Test Server #general" });
  await page.click('#follow-form button[type="submit"]');
  await page.locator("#follow-result", { hasText: "Following in Test Server #general" }).waitFor();
  const news = `release notes ${Date.now()}`;
  await page.fill("#message-input", news);
  await page.press("#message-input", "Enter");
  await message(news).locator(".publish").click();
  await message(news).locator(".published").waitFor();
  await page.locator("#channels button", { hasText: "general" }).click();
  await message("has added Test Server #news to this channel.").waitFor();
  await message(news).locator("button.author", { hasText: "Test Server #news" }).waitFor();

  // Scheduled events: the page schedules one; another user's interest in it, and another user's
  // event, its start and its deletion, show live in the sidebar.
  const eventName = `a meetup ${Date.now()}`;
  await page.click("#new-event");
  await page.fill("#event-name", eventName);
  await page.fill("#event-location", "the park");
  await page.click('#event-form button[type="submit"]');
  const eventItem = (name) => page.locator("#event-list li", { hasText: name });
  await eventItem(eventName).locator(".event-where", { hasText: "the park" }).waitFor();
  const listed = await asOther("GET", "/guilds/1/scheduled-events");
  const meetup = listed.find((e) => e.name === eventName);
  check(meetup && meetup.entity_type === 3 && meetup.creator.username === "testuser1" &&
        Date.parse(meetup.scheduled_end_time) > Date.parse(meetup.scheduled_start_time),
        `the event on the server: ${JSON.stringify(meetup)}`);
  await asOther("PUT", `/guilds/1/scheduled-events/${meetup.id}/users/@me`);
  await eventItem(eventName).locator(".interest", { hasText: "1 interested" }).waitFor();
  await eventItem(eventName).locator(".interest").click();
  await eventItem(eventName).locator('.interest[aria-pressed="true"]', { hasText: "2 interested" })
    .waitFor();
  const fans = await asOther("GET", `/guilds/1/scheduled-events/${meetup.id}/users`);
  check(fans.some((u) => u.user.username === "testuser1"), "the page's interest is not stored");
  const jam = await asOther("POST", "/guilds/1/scheduled-events", {
    name: `their jam ${Date.now()}`, privacy_level: 2, entity_type: 3, image: COVER,
    entity_metadata: { location: "the pier" },
    scheduled_start_time: new Date(Date.now() + 7200e3).toISOString(),
    scheduled_end_time: new Date(Date.now() + 9000e3).toISOString(),
  });
  await eventItem(jam.name).waitFor();
  // Its cover image shows, loaded from the server.
  const cover = eventItem(jam.name).locator("img.event-cover");
  await cover.waitFor();
  await page.waitForFunction((img) => img.complete && img.naturalWidth === 1,
                             await cover.elementHandle());
  await asOther("PATCH", `/guilds/1/scheduled-events/${jam.id}`, { status: 2 });
  await eventItem(jam.name).locator(".event-live").waitFor();
  await asOther("DELETE", `/guilds/1/scheduled-events/${jam.id}`);
  await eventItem(jam.name).waitFor({ state: "detached" });

  // Direct messages: a click on another user's name opens a DM with them; both ways work.
  const ping = `dm me ${Date.now()}`;
  await asOther("POST", "/channels/1/messages", { content: ping });
  await message(ping).locator("button.author").click();
  await page.locator('#guilds button[aria-current="true"]', { hasText: "DM" }).waitFor();
  await page.locator('#channels button[aria-current="true"]', { hasText: "Test User 2" }).waitFor();
  const dmText = `a direct message ${Date.now()}`;
  await page.fill("#message-input", dmText);
  await page.press("#message-input", "Enter");
  await message(dmText).waitFor();
  const dms = await asOther("GET", "/users/@me/channels");
  const dm = dms.find((c) => c.recipients.some((u) => u.username === "testuser1"));
  check(dm, "the other user has no DM with the page's user");
  const inDm = await asOther("GET", `/channels/${dm.id}/messages?limit=5`);
  check(inDm.some((m) => m.content === dmText), "the DM sent from the page is not in the DM");
  const reply = `a reply in the DM ${Date.now()}`;
  await asOther("POST", `/channels/${dm.id}/messages`, { content: reply });
  await message(reply).waitFor();
  check(await page.locator("#members").isHidden(), "a member list beside the DMs");
  await page.getByRole("button", { name: "Test Server" }).click();
  await page.locator("#channels button", { hasText: "general" }).waitFor();
  await message(mine).waitFor();
  // A member's name in the list opens the same DM.
  await page.locator("#member-list button", { hasText: "User Two" }).click();
  await message(reply).waitFor();

  // Group DMs: adding a third person to the DM makes a group of the three. The other user's
  // rename and message arrive live; leaving takes the group off the page's list.
  await page.click("#add-people");
  await page.selectOption("#people-pick", { label: "Administrator" });
  await page.click('#people-form button[type="submit"]');
  await page.locator('#channels button[aria-current="true"]', { hasText: "Administrator" }).waitFor();
  const groups = (await asOther("GET", "/users/@me/channels")).filter((c) => c.type === 3);
  check(groups.length === 1, `the other user is in ${groups.length} group DMs`);
  const group = groups[0];
  check(group.recipients.map((u) => u.username).sort().join() === "admin,testuser1",
        "the group is not the page's user, the other user and admin");
  await asOther("PATCH", `/channels/${group.id}`, { name: "Weekend plans" });
  await page.locator('#channels button[aria-current="true"]', { hasText: "Weekend plans" }).waitFor();
  await message("named the group: Weekend plans").waitFor();
  const groupText = `to the group ${Date.now()}`;
  await asOther("POST", `/channels/${group.id}/messages`, { content: groupText });
  await message(groupText).waitFor();
  await page.click("#leave-group");
  await page.locator("#channels button", { hasText: "Weekend plans" }).waitFor({ state: "detached" });
  const after = await asOther("GET", `/channels/${group.id}`);
  check(after.recipients.every((u) => u.username !== "testuser1"), "the page's user is still in the group");
  const left = await asOther("GET", `/channels/${group.id}/messages?limit=1`);
  check(left[0].type === 2 && left[0].author.username === "testuser1", "no notice of leaving");

  // A sticker the other user sends shows as its image, loaded from the server.
  const form = new FormData();
  form.append("name", "page_wave");
  form.append("tags", "wave");
  form.append("file", new Blob([Buffer.from(COVER.split(",")[1], "base64")], { type: "image/png" }),
              "wave.png");
  const made = await fetch(`${base}/api/v10/guilds/1/stickers`, {
    method: "POST", headers: { Authorization: `Bearer ${otherToken}` }, body: form });
  check(made.ok, `sticker upload answered ${made.status}`);
  const sticker = await made.json();
  await page.getByRole("button", { name: "Test Server" }).click();
  await page.locator("#channels button", { hasText: "general" }).waitFor();
  await asOther("POST", "/channels/1/messages", { sticker_ids: [sticker.id] });
  const shown = page.locator(`#messages img.sticker[alt="page_wave"]`);
  await shown.waitFor();
  await page.waitForFunction((img) => img.complete && img.naturalWidth === 1,
                             await shown.elementHandle());

  // Auto moderation: a rule of the server (the caller's "page filter") blocks a word and alerts
  // #general; the page's message with it is refused with the server's reason, and the alert
  // shows in #general.
  await page.fill("#message-input", "I put pineapple on it");
  await page.press("#message-input", "Enter");
  await page.locator("#send-error", { hasText: "blocked by automatic moderation" }).waitFor();
  await message("AutoMod (page filter) flagged: I put pineapple on it").waitFor();

  // The server has what the page sent.
  const history = await asOther("GET", "/channels/1/messages?limit=50");
  check(history.some((m) => m.content === mine && m.author.username === "testuser1"),
        "the sent message is not in the channel's history");

  // A reload keeps the session and shows the history again.
  await page.reload();
  await message(mine).waitFor();
  await thread(threadName).waitFor(); // the server's active threads, read again

  await page.click("#logout");
  await page.locator("#login-form").waitFor();
  check(pageErrors.length === 0, `errors in the page: ${pageErrors.join("; ")}`);
  console.log("OK");
} catch (error) {
  failed = true;
  console.log(String(error?.stack || error));
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
