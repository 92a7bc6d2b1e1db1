// The browser client: log in (or register), pick a server and a text channel, read its history,
// send messages (with a file), react, see a server's members, follow and start threads (listed
// under their channels), talk in direct messages (click an author's or a member's name) and in
// group DMs (add people to a DM; rename, add to and leave a group), see stickers sent, run
// applications' slash commands and use their buttons, menus and forms, and see what anyone sends,
// edits, deletes or reacts live over the gateway. Plain ES modules with no
// build step: chat-server serves these files at /app/. Text from the server only
// ever reaches the page through textContent, never as HTML.

const API = "/api/v10";
// GUILDS | GUILD_MEMBERS | GUILD_MESSAGES | GUILD_MESSAGE_REACTIONS | DIRECT_MESSAGES |
// DIRECT_MESSAGE_REACTIONS | MESSAGE_CONTENT
const INTENTS =
  (1 << 0) | (1 << 1) | (1 << 9) | (1 << 10) | (1 << 12) | (1 << 13) | (1 << 15) | (1 << 16) |
  (1 << 24) | (1 << 25);
const DM = "@me"; // the rail's entry for direct messages, beside the servers
const QUICK_REACTION = "👍";
const POLL_RESULT = 46; // the message type announcing an ended poll
const CHANNEL_FOLLOW_ADD = 12; // the message type announcing a channel now followed
const AUTO_MODERATION_ACTION = 24; // an auto moderation rule's alert
// A group DM's own notices: someone added or removed (or leaving), a new name, a new icon.
const RECIPIENT_ADD = 1;
const RECIPIENT_REMOVE = 2;
const CHANNEL_NAME_CHANGE = 4;
const CHANNEL_ICON_CHANGE = 5;
const DM_CHANNEL = 1;
const GROUP_DM = 3;
const TEXT_CHANNEL_TYPES = new Set([0, 5]);
const ANNOUNCEMENT_CHANNEL = 5;
const FORUM_CHANNEL = 15; // holds posts: threads started with their first message
const PUBLIC_THREAD = 11;
const ANNOUNCEMENT_THREAD = 10;
const EPHEMERAL = 1 << 6;
const CROSSPOSTED = 1 << 0; // published in an announcement channel
const IS_CROSSPOST = 1 << 1; // a copy that channel following brought here
const BUTTON = 2;
const LINK_BUTTON = 5;
const STRING_SELECT = 3;
const TEXT_INPUT = 4;
const USER_SELECT = 5;
const ROLE_SELECT = 6;
const MENTIONABLE_SELECT = 7;
const CHANNEL_SELECT = 8;

const $ = (id) => document.getElementById(id);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const tokens = {
  get access() { return localStorage.getItem("chat.access"); },
  get refresh() { return localStorage.getItem("chat.refresh"); },
  save(pair) {
    localStorage.setItem("chat.access", pair.access_token);
    localStorage.setItem("chat.refresh", pair.refresh_token);
  },
  clear() {
    localStorage.removeItem("chat.access");
    localStorage.removeItem("chat.refresh");
  },
};

class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

// The first field error Discord-style bodies carry, else their message.
function describe(error) {
  const fields = error.body?.errors;
  if (fields) {
    for (const [name, value] of Object.entries(fields)) {
      const first = value?._errors?.[0];
      if (first) return `${name}: ${first.message}`;
    }
  }
  return error.message;
}

// One refresh at a time: a refresh token may be used once, and the server takes a second use for
// theft and ends the whole session. Callers that find one in flight wait for it.
let refreshing = null;
function refreshTokens() {
  if (!refreshing) {
    refreshing = (async () => {
      const refresh = tokens.refresh;
      if (!refresh) return false;
      const r = await fetch(`${API}/auth/refresh`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refresh_token: refresh }),
      });
      if (!r.ok || tokens.refresh !== refresh) return false; // failed, or logged out meanwhile
      tokens.save(await r.json());
      return true;
    })().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

// One REST call: a 401 refreshes the tokens once; a 429 of a few seconds is waited out (the
// server's rate limits), a longer one (slowmode, login throttling) is the caller's error.
const MAX_RETRY_WAIT_S = 5;
async function api(method, path, body, retried = false) {
  const auth = path.startsWith("/auth/");
  const headers = {};
  if (tokens.access) headers.Authorization = `Bearer ${tokens.access}`;
  // A FormData body (an upload) sets its own multipart Content-Type.
  const form = body instanceof FormData;
  if (body !== undefined && !form) headers["Content-Type"] = "application/json";
  const r = await fetch(API + path, {
    method,
    headers,
    body: body === undefined || form ? body : JSON.stringify(body),
  });
  if (r.status === 401 && !auth && !retried && (await refreshTokens())) {
    return api(method, path, body, true);
  }
  if (r.status === 429) {
    const limited = await r.json().catch(() => ({}));
    const wait = Number(limited.retry_after) || 1;
    if (auth || wait > MAX_RETRY_WAIT_S) {
      const message = `${limited.message || "Slow down."} Try again in ${Math.ceil(wait)} s.`;
      throw new ApiError(429, { message });
    }
    await sleep(Math.max(wait, 0.05) * 1000);
    return api(method, path, body, retried);
  }
  if (r.status === 401 && !auth) {
    logout();
    throw new ApiError(401, { message: "Your session ended: log in again." });
  }
  if (!r.ok) throw new ApiError(r.status, await r.json().catch(() => ({})));
  return r.status === 204 ? null : r.json();
}

const state = {
  user: null,
  guilds: new Map(), // id -> guild
  guild: null,
  channels: [],
  members: [], // {id, name} of the open server's members, for user menus
  people: new Map(), // id -> name of every user met in a member list or DM, to add to groups
  threads: new Map(), // id -> active thread of the open server (listed under its parent)
  events: new Map(), // id -> scheduled or live event of the open server, with `interested`
  channel: null,
  messages: new Map(), // id -> <li>, for the open channel
  data: new Map(), // id -> the message object behind it (its reactions change live)
  gateway: null,
};

// --- login ------------------------------------------------------------------------------------

function showLogin() {
  $("chat").hidden = true;
  $("login").hidden = false;
  $("login-form").login.focus();
}

let registering = false;
$("mode-toggle").addEventListener("click", () => {
  registering = !registering;
  $("login-form").classList.toggle("registering", registering);
  $("login-submit").textContent = registering ? "Create account" : "Log in";
  $("mode-toggle").textContent = registering ? "I have an account" : "Create an account";
  $("login-form").email.required = registering;
});

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  $("login-error").textContent = "";
  try {
    if (registering) {
      await api("POST", "/auth/register", {
        username: form.login.value,
        email: form.email.value,
        password: form.password.value,
      });
    }
    const pair = await api("POST", "/auth/login", {
      login: form.login.value,
      password: form.password.value,
    });
    tokens.save(pair);
    form.password.value = "";
    await start();
  } catch (error) {
    $("login-error").textContent =
      error.status === 401 ? "Wrong username or password." : describe(error);
  }
});

function logout() {
  const refresh = tokens.refresh;
  tokens.clear();
  if (refresh) {
    fetch(`${API}/auth/logout`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ refresh_token: refresh }),
    }).catch(() => {});
  }
  state.gateway?.stop();
  state.gateway = null;
  showLogin();
}
$("logout").addEventListener("click", logout);
$("modal-cancel").addEventListener("click", () => $("modal").close());

// --- servers and channels ---------------------------------------------------------------------

async function start() {
  state.user = await api("GET", "/users/@me");
  $("me").textContent = state.user.global_name || state.user.username;
  $("login").hidden = true;
  $("chat").hidden = false;
  const guilds = await api("GET", "/users/@me/guilds");
  state.guilds = new Map(guilds.map((g) => [g.id, g]));
  renderGuilds();
  state.gateway?.stop();
  state.gateway = new Gateway();
  if (guilds.length > 0) await selectGuild(guilds[0].id);
}

function renderGuilds() {
  const nav = $("guilds");
  nav.replaceChildren();
  const dms = document.createElement("button");
  dms.type = "button";
  dms.textContent = "DM";
  dms.title = "Direct messages";
  dms.setAttribute("aria-label", "Direct messages");
  dms.setAttribute("aria-current", String(state.guild?.id === DM));
  dms.addEventListener("click", () => selectDms());
  nav.append(dms);
  for (const g of state.guilds.values()) {
    const button = document.createElement("button");
    button.type = "button";
    button.title = g.name;
    button.textContent = g.name.split(/\s+/).map((w) => w[0] ?? "").join("").slice(0, 3);
    button.setAttribute("aria-label", g.name);
    button.setAttribute("aria-current", String(state.guild?.id === g.id));
    button.addEventListener("click", () => selectGuild(g.id));
    nav.append(button);
  }
}

// Each click starts a new view; an answer that arrives after a later click is dropped.
let view = 0;

async function selectGuild(id) {
  const mine = ++view;
  state.guild = state.guilds.get(id);
  $("member-list").replaceChildren(); // not the last server's members meanwhile
  state.events.clear();
  renderEvents();
  renderGuilds();
  $("guild-name").textContent = state.guild.name;
  let channels;
  let active;
  try {
    // Without the threads the channels are still worth showing.
    [channels, active] = await Promise.all([
      api("GET", `/guilds/${id}/channels`),
      api("GET", `/guilds/${id}/threads/active`).catch(() => ({ threads: [] })),
    ]);
  } catch (error) {
    $("send-error").textContent = describe(error);
    return;
  }
  if (mine !== view) return;
  loadMembers(id).catch(() => {});
  loadEvents(id).catch(() => {});
  state.channels = channels
    .filter((c) => TEXT_CHANNEL_TYPES.has(c.type) || c.type === FORUM_CHANNEL)
    .sort((a, b) => a.position - b.position || (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  setThreads(active.threads);
  renderChannels();
  const keep = findChannel(state.channel?.id);
  if (keep) {
    await selectChannel(keep.id);
  } else if (state.channels.length > 0) {
    await selectChannel(state.channels[0].id);
  } else {
    noChannel();
  }
}

function noChannel() {
  state.channel = null;
  $("channel-name").textContent = "";
  $("messages").replaceChildren();
  showThreadStarter();
}

// A channel of the open server (or DM list), or one of its active threads.
function findChannel(id) {
  return state.channels.find((c) => c.id === id) ?? state.threads.get(id);
}

function setThreads(threads) {
  state.threads = new Map(
    (threads ?? []).filter((t) => !t.thread_metadata?.archived).map((t) => [t.id, t]));
}

// The server's first 1,000 members by name, each a button that opens a DM with them.
async function loadMembers(guildId) {
  const members = await api("GET", `/guilds/${guildId}/members?limit=1000`);
  if (state.guild?.id !== guildId) return;
  const name = (m) => m.nick || m.user.global_name || m.user.username;
  members.sort((a, b) => name(a).localeCompare(name(b)));
  state.members = members.map((m) => ({ id: m.user.id, name: name(m) }));
  for (const m of members) {
    if (!m.user.bot) state.people.set(m.user.id, m.user.global_name || m.user.username);
  }
  const list = $("member-list");
  list.replaceChildren();
  for (const m of members) {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = name(m) + (m.user.bot ? " (bot)" : "");
    button.title = m.user.username;
    button.addEventListener("click", () => openDm(m.user));
    li.append(button);
    list.append(li);
  }
  showMembers(true);
}

function showMembers(shown) {
  $("members").hidden = !shown;
  $("chat").classList.toggle("no-members", !shown);
}

// The direct-message channels, named after the other participants; `open` selects one.
async function selectDms(open) {
  const mine = ++view;
  showMembers(false);
  state.events.clear();
  renderEvents();
  state.guild = { id: DM, name: "Direct messages" };
  renderGuilds();
  $("guild-name").textContent = state.guild.name;
  let dms;
  try {
    dms = await api("GET", "/users/@me/channels");
  } catch (error) {
    $("send-error").textContent = describe(error);
    return;
  }
  if (mine !== view) return;
  state.threads = new Map();
  listDms(dms);
  const listed = (id) => id && state.channels.some((c) => c.id === id);
  const pick = [open, state.channel?.id].find(listed) ?? state.channels[0]?.id;
  if (pick) {
    await selectChannel(pick);
  } else {
    noChannel();
  }
}

// The DM list, each named after the other participants (a group by its name, kept apart as
// `groupName`: the label is not the name).
function listDms(dms) {
  for (const c of dms) {
    for (const u of c.recipients ?? []) {
      if (!u.bot) state.people.set(u.id, u.global_name || u.username);
    }
  }
  state.channels = dms.map((c) => ({
    ...c,
    groupName: c.name ?? "",
    name: c.name ||
      (c.recipients ?? []).map((u) => u.global_name || u.username).join(", ") || "(just you)",
  }));
  renderChannels();
}

// A DM or group DM changed (made, renamed, joined, left): the list is read again. The open
// conversation stays as it is (history, composer, open forms), with its new name and
// recipients, unless it is gone.
async function refreshDms() {
  const mine = view;
  let dms;
  try {
    dms = await api("GET", "/users/@me/channels");
  } catch {
    return;
  }
  if (mine !== view || state.guild?.id !== DM) return;
  listDms(dms);
  const open = state.channels.find((c) => c.id === state.channel?.id);
  if (open) {
    state.channel = open;
    $("channel-name").textContent = open.name;
  } else if (state.channels[0]) {
    await selectChannel(state.channels[0].id);
  } else {
    noChannel();
  }
}

// Opens (or finds) the DM with `user` and shows it.
async function openDm(user) {
  if (user.id === state.user?.id || user.bot) return;
  try {
    const channel = await api("POST", "/users/@me/channels", { recipient_id: user.id });
    await selectDms(channel.id);
  } catch (error) {
    $("send-error").textContent = describe(error);
  }
}

function renderChannels() {
  const list = $("channels");
  list.replaceChildren();
  list.classList.toggle("dms", state.guild?.id === DM);
  const threads = [...state.threads.values()].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  for (const c of state.channels) {
    list.append(channelItem(c));
    for (const t of threads) {
      if (t.parent_id === c.id) list.append(channelItem(t, "thread"));
    }
  }
}

function channelItem(c, className) {
  const li = document.createElement("li");
  if (className) li.className = className;
  if (c.type === FORUM_CHANNEL) li.className = "forum";
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = c.name;
  button.setAttribute("aria-current", String(state.channel?.id === c.id));
  button.addEventListener("click", () => selectChannel(c.id));
  li.append(button);
  return li;
}

// THREAD_CREATE / _UPDATE / _DELETE of the open server: the sidebar lists its active threads, so
// an archived or deleted one leaves it (an open archived one stays open: a message reopens it).
function onThreadEvent(type, d) {
  if (!d.guild_id || d.guild_id !== state.guild?.id) return;
  if (type === "THREAD_DELETE" || d.thread_metadata?.archived) {
    state.threads.delete(d.id);
  } else {
    state.threads.set(d.id, d);
  }
  if (state.channel?.id === d.id) {
    if (type === "THREAD_DELETE") {
      const next = findChannel(d.parent_id) ?? state.channels[0];
      if (next) {
        selectChannel(next.id).catch(() => {});
      } else {
        noChannel();
      }
    } else {
      state.channel = d;
      $("channel-name").textContent = d.name;
    }
  }
  renderChannels();
}

// --- starting a thread ------------------------------------------------------------------------

// Threads start in a server's text channels, not in DMs or in other threads; a forum takes posts,
// each a thread with its first message, and nothing else (the composer hides).
function showThreadStarter() {
  const forum = state.channel?.type === FORUM_CHANNEL;
  $("new-thread").hidden = !(state.channel && (TEXT_CHANNEL_TYPES.has(state.channel.type) || forum));
  $("new-thread").textContent = forum ? "New post" : "New thread";
  $("post-message").hidden = !forum;
  $("post-message").required = forum;
  $("composer").hidden = forum;
  $("thread-form").hidden = true;
  $("follow").hidden = state.channel?.type !== ANNOUNCEMENT_CHANNEL;
  $("follow-form").hidden = true;
  $("follow-result").textContent = "";
  const group = state.channel?.type === GROUP_DM;
  $("add-people").hidden = !(group || state.channel?.type === DM_CHANNEL);
  $("rename-group").hidden = !group;
  $("leave-group").hidden = !group;
  $("people-form").hidden = true;
  $("rename-form").hidden = true;
}

// --- group DMs ----------------------------------------------------------------------------------

// Adding someone to a DM makes a new group of the three; adding to a group adds to it. The people
// offered are those met in member lists and DMs this session.
$("add-people").addEventListener("click", () => {
  if (!$("people-form").hidden) {
    $("people-form").hidden = true;
    return;
  }
  const here = new Set((state.channel?.recipients ?? []).map((u) => u.id));
  const select = $("people-pick");
  select.replaceChildren();
  const people = [...state.people].filter(([id]) => id !== state.user?.id && !here.has(id));
  people.sort((a, b) => a[1].localeCompare(b[1]));
  for (const [id, name] of people) {
    const option = document.createElement("option");
    option.value = id;
    option.textContent = name;
    select.append(option);
  }
  $("people-form").hidden = false;
  select.focus();
});

$("people-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const channel = state.channel;
  const picked = $("people-pick").value;
  if (!channel || !picked) return;
  $("send-error").textContent = "";
  try {
    if (channel.type === GROUP_DM) {
      await api("PUT", `/channels/${channel.id}/recipients/${picked}`);
      $("people-form").hidden = true;
    } else {
      const others = (channel.recipients ?? []).map((u) => u.id);
      const group = await api("POST", "/users/@me/channels", { recipients: [...others, picked] });
      await selectDms(group.id);
    }
  } catch (error) {
    $("send-error").textContent = describe(error);
  }
});

$("rename-group").addEventListener("click", () => {
  $("rename-form").hidden = !$("rename-form").hidden;
  $("group-name").value = state.channel?.groupName ?? "";
  if (!$("rename-form").hidden) $("group-name").focus();
});

$("rename-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const channel = state.channel;
  if (channel?.type !== GROUP_DM) return;
  $("send-error").textContent = "";
  try {
    await api("PATCH", `/channels/${channel.id}`, { name: $("group-name").value.trim() || null });
    $("rename-form").hidden = true;
  } catch (error) {
    $("send-error").textContent = describe(error);
  }
});

$("leave-group").addEventListener("click", async () => {
  const channel = state.channel;
  if (channel?.type !== GROUP_DM) return;
  $("send-error").textContent = "";
  try {
    await api("DELETE", `/channels/${channel.id}`);
    state.channel = null;
    await selectDms();
  } catch (error) {
    $("send-error").textContent = describe(error);
  }
});

// What a group DM's own notice says, after its author's name.
function groupNoticeText(m) {
  const other = m.mentions?.[0];
  const name = other ? other.global_name || other.username : "someone";
  switch (m.type) {
    case RECIPIENT_ADD: return `added ${name} to the group.`;
    case RECIPIENT_REMOVE: return other?.id === m.author.id ? "left the group." : `removed ${name} from the group.`;
    case CHANNEL_NAME_CHANGE: return `named the group: ${m.content}`;
    default: return "changed the group's icon.";
  }
}

// Following an announcement channel: one of the user's text channels, in any of their servers,
// receives a copy of each message published here (the server checks MANAGE_WEBHOOKS there).
$("follow").addEventListener("click", async () => {
  if (!$("follow-form").hidden) {
    $("follow-form").hidden = true;
    return;
  }
  const select = $("follow-target");
  select.replaceChildren();
  const source = state.channel;
  try {
    for (const g of state.guilds.values()) {
      const channels = await api("GET", `/guilds/${g.id}/channels`);
      for (const c of channels.filter((c) => c.type === 0 && c.id !== source.id)) {
        const option = document.createElement("option");
        option.value = c.id;
        option.textContent = `${g.name} #${c.name}`;
        select.append(option);
      }
    }
  } catch (error) {
    $("send-error").textContent = describe(error);
    return;
  }
  if (state.channel !== source) return;
  $("follow-form").hidden = false;
  select.focus();
});

$("follow-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const source = state.channel;
  const target = $("follow-target").selectedOptions[0];
  if (!source || !target) return;
  $("send-error").textContent = "";
  try {
    await api("POST", `/channels/${source.id}/followers`, { webhook_channel_id: target.value });
    $("follow-form").hidden = true;
    $("follow-result").textContent = `Following in ${target.textContent}`;
  } catch (error) {
    $("send-error").textContent = describe(error);
  }
});

// Publishing sends the message to the channels following this one; MESSAGE_UPDATE marks it.
async function publish(m) {
  $("send-error").textContent = "";
  try {
    await api("POST", `/channels/${m.channel_id}/messages/${m.id}/crosspost`);
  } catch (error) {
    $("send-error").textContent = describe(error);
  }
}

$("new-thread").addEventListener("click", () => {
  $("thread-form").hidden = !$("thread-form").hidden;
  if (!$("thread-form").hidden) $("thread-name").focus();
});

$("thread-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const parent = state.channel;
  const name = $("thread-name").value.trim();
  const forum = parent?.type === FORUM_CHANNEL;
  if (!name || !parent || !(TEXT_CHANNEL_TYPES.has(parent.type) || forum)) return;
  $("send-error").textContent = "";
  try {
    const type = parent.type === ANNOUNCEMENT_CHANNEL ? ANNOUNCEMENT_THREAD : PUBLIC_THREAD;
    const body = forum ? { name, message: { content: $("post-message").value } } : { name, type };
    const thread = await api("POST", `/channels/${parent.id}/threads`, body);
    $("thread-name").value = "";
    $("post-message").value = "";
    // Listed now rather than on its THREAD_CREATE, which may come before or after this answer.
    if (thread.guild_id === state.guild?.id) {
      state.threads.set(thread.id, thread);
      await selectChannel(thread.id);
    }
  } catch (error) {
    $("send-error").textContent = describe(error);
  }
});

// --- scheduled events -------------------------------------------------------------------------

// The open server's events that have not ended, soonest first, each with who is interested: the
// user's own interest is read from the event's first 100 interested members.
async function loadEvents(guildId) {
  const events = await api("GET", `/guilds/${guildId}/scheduled-events?with_user_count=true`);
  const me = state.user?.id;
  const interested = await Promise.all(events.map((e) =>
    api("GET", `/guilds/${guildId}/scheduled-events/${e.id}/users?limit=100`)
      .then((users) => users.some((u) => u.user.id === me))
      .catch(() => false)));
  if (state.guild?.id !== guildId) return;
  state.events = new Map(events.map((e, i) => [e.id, { ...e, interested: interested[i] }]));
  renderEvents();
}

function renderEvents() {
  $("events").hidden = !state.guild || state.guild.id === DM;
  const list = $("event-list");
  list.replaceChildren();
  const events = [...state.events.values()].sort((a, b) =>
    Date.parse(a.scheduled_start_time) - Date.parse(b.scheduled_start_time));
  for (const e of events) list.append(eventItem(e));
}

function eventItem(e) {
  const li = document.createElement("li");
  li.dataset.id = e.id;
  const name = document.createElement("span");
  name.className = "event-name";
  name.textContent = e.name;
  const when = document.createElement("span");
  if (e.status === 2) {
    when.className = "event-live";
    when.textContent = "Happening now";
  } else {
    when.className = "event-when";
    when.textContent = new Date(e.scheduled_start_time).toLocaleString();
  }
  const where = document.createElement("span");
  where.className = "event-where";
  const channel = state.channels.find((c) => c.id === e.channel_id);
  where.textContent = e.entity_metadata?.location ?? (channel ? `🔊 ${channel.name}` : "a voice channel");
  const interest = document.createElement("button");
  interest.type = "button";
  interest.className = "interest";
  interest.setAttribute("aria-pressed", String(Boolean(e.interested)));
  interest.textContent = `★ ${e.user_count ?? 0} interested`;
  interest.title = e.interested ? "Not interested any more" : "Interested";
  interest.addEventListener("click", () => toggleInterest(e).catch((error) => {
    $("event-error").textContent = describe(error);
  }));
  if (e.image) {
    const cover = document.createElement("img");
    cover.className = "event-cover";
    cover.src = `/guild-events/${e.id}/${e.image}.png?size=256`;
    cover.alt = "";
    li.append(cover);
  }
  li.append(name, when, where, interest);
  return li;
}

async function toggleInterest(e) {
  $("event-error").textContent = "";
  const path = `/guilds/${e.guild_id}/scheduled-events/${e.id}/users/@me`;
  const want = !e.interested;
  await api(want ? "PUT" : "DELETE", path);
  // The count follows the USER_ADD/REMOVE dispatch (which may come before this answer); the
  // user's own mark changes now.
  const current = state.events.get(e.id);
  if (current) current.interested = want;
  renderEvents();
}

// GUILD_SCHEDULED_EVENT_*: events of the open server come, change, end (and leave) or go.
function onScheduledEvent(type, d) {
  if (type === "GUILD_SCHEDULED_EVENT_USER_ADD" || type === "GUILD_SCHEDULED_EVENT_USER_REMOVE") {
    const e = state.events.get(d.guild_scheduled_event_id);
    if (!e || d.guild_id !== state.guild?.id) return;
    const added = type === "GUILD_SCHEDULED_EVENT_USER_ADD";
    e.user_count = Math.max(0, (e.user_count ?? 0) + (added ? 1 : -1));
    if (d.user_id === state.user?.id) e.interested = added;
    renderEvents();
    return;
  }
  if (d.guild_id !== state.guild?.id) return;
  if (type === "GUILD_SCHEDULED_EVENT_DELETE" || d.status === 3 || d.status === 4) {
    state.events.delete(d.id);
  } else {
    const known = state.events.get(d.id);
    state.events.set(d.id, { ...d, user_count: known?.user_count ?? 0,
                             interested: known?.interested ?? false });
  }
  renderEvents();
}

// datetime-local's value: local time without a zone, to the minute.
function localInput(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

$("new-event").addEventListener("click", () => {
  const form = $("event-form");
  form.hidden = !form.hidden;
  if (form.hidden) return;
  const start = new Date(Date.now() + 3600 * 1000);
  start.setMinutes(0, 0, 0);
  $("event-start").value = localInput(start);
  $("event-end").value = localInput(new Date(start.getTime() + 3600 * 1000));
  $("event-name").focus();
});

$("event-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const guild = state.guild;
  if (!guild || guild.id === DM) return;
  $("event-error").textContent = "";
  try {
    const made = await api("POST", `/guilds/${guild.id}/scheduled-events`, {
      name: $("event-name").value.trim(),
      privacy_level: 2,
      entity_type: 3,
      entity_metadata: { location: $("event-location").value.trim() },
      scheduled_start_time: new Date($("event-start").value).toISOString(),
      scheduled_end_time: new Date($("event-end").value).toISOString(),
    });
    $("event-name").value = "";
    $("event-location").value = "";
    $("event-form").hidden = true;
    if (state.guild?.id === made.guild_id && !state.events.has(made.id)) {
      state.events.set(made.id, { ...made, user_count: 0, interested: false });
      renderEvents();
    }
  } catch (error) {
    $("event-error").textContent = describe(error);
  }
});

// --- messages ---------------------------------------------------------------------------------

async function selectChannel(id) {
  ++view;
  clearFile(); // a file picked for one conversation is not sent to another
  state.channel = findChannel(id);
  renderChannels();
  $("channel-name").textContent = state.channel.name;
  showThreadStarter();
  $("send-error").textContent = "";
  try {
    await loadHistory();
  } catch (error) {
    $("send-error").textContent = describe(error);
  }
  $("message-input").focus();
}

function clearFile() {
  $("file-input").value = "";
  $("file-name").textContent = "";
}

$("file-input").addEventListener("change", () => {
  $("file-name").textContent = $("file-input").files[0]?.name ?? "";
});

// Message events that arrive while a history page loads are held, and applied after it is drawn:
// drawn before, they would be wiped by it (or a deleted message drawn again).
let held = null;

function onMessageEvent(type, d) {
  if (held) {
    held.push([type, d]);
  } else {
    applyMessageEvent(type, d);
  }
}

function applyMessageEvent(type, d) {
  if (type === "MESSAGE_CREATE" && !d.guild_id && state.guild?.id === DM &&
      !state.channels.some((c) => c.id === d.channel_id)) {
    selectDms().catch(() => {}); // someone opened a DM with this user: list it
  }
  if (d.channel_id !== state.channel?.id) return;
  if (type === "MESSAGE_CREATE" || type === "MESSAGE_UPDATE") {
    // An update keeps the reactions it does not carry, and the user's own votes (a poll's update
    // is the same for everyone: it shows nobody's).
    const before = state.data.get(d.id);
    if (d.author) {
      showMessage({ ...d, reactions: d.reactions ?? before?.reactions,
                    poll: withMyVotes(d.poll, before?.poll) });
    }
  } else if (type === "MESSAGE_DELETE") {
    removeMessage(d.id);
  } else if (type === "MESSAGE_DELETE_BULK") {
    d.ids.forEach(removeMessage);
  } else if (type.startsWith("MESSAGE_REACTION_")) {
    applyReaction(type, d);
  } else if (type.startsWith("MESSAGE_POLL_VOTE_")) {
    applyVote(type, d);
  }
}

// --- polls ------------------------------------------------------------------------------------

function withMyVotes(poll, before) {
  if (!poll?.results || !before?.results) return poll;
  const mine = new Set(before.results.answer_counts.filter((c) => c.me_voted).map((c) => c.id));
  const counts = poll.results.answer_counts.map((c) => ({ ...c, me_voted: mine.has(c.id) }));
  return { ...poll, results: { ...poll.results, answer_counts: counts } };
}

// MESSAGE_POLL_VOTE_ADD / _REMOVE on the poll's counts.
function applyVote(type, d) {
  const m = state.data.get(d.message_id);
  if (!m?.poll) return;
  const results = m.poll.results ?? { is_finalized: false, answer_counts: [] };
  let counts = results.answer_counts.map((c) => ({ ...c }));
  let c = counts.find((x) => x.id === d.answer_id);
  if (!c) {
    c = { id: d.answer_id, count: 0, me_voted: false };
    counts.push(c);
  }
  const added = type === "MESSAGE_POLL_VOTE_ADD";
  c.count += added ? 1 : -1;
  if (d.user_id === state.user?.id) c.me_voted = added;
  counts = counts.filter((x) => x.count > 0).sort((a, b) => a.id - b.id);
  showMessage({ ...m, poll: { ...m.poll, results: { ...results, answer_counts: counts } } });
}

// A click on an answer: the user's votes become that answer (or, in a poll taking several, gain
// or lose it); the gateway's events update the counts.
async function vote(m, answerId) {
  const counts = m.poll.results?.answer_counts ?? [];
  const mine = counts.filter((c) => c.me_voted).map((c) => c.id);
  let next;
  if (m.poll.allow_multiselect) {
    next = mine.includes(answerId) ? mine.filter((id) => id !== answerId) : [...mine, answerId];
  } else {
    next = mine.includes(answerId) ? [] : [answerId];
  }
  try {
    await api("PUT", `/channels/${m.channel_id}/polls/${m.id}/answers/@me`,
              { answer_ids: next.map(String) });
  } catch (error) {
    $("send-error").textContent = describe(error);
  }
}

function pollItem(m) {
  const box = document.createElement("div");
  box.className = "poll";
  const question = document.createElement("div");
  question.className = "poll-question";
  question.textContent = m.poll.question?.text ?? "";
  box.append(question);
  const results = m.poll.results;
  const ended = results?.is_finalized ?? false;
  for (const a of m.poll.answers ?? []) {
    const count = results?.answer_counts.find((c) => c.id === a.answer_id);
    const button = document.createElement("button");
    button.type = "button";
    button.className = "poll-answer";
    const emoji = a.poll_media.emoji?.name ? `${a.poll_media.emoji.name} ` : "";
    button.textContent = `${emoji}${a.poll_media.text} — ${count?.count ?? 0}`;
    button.setAttribute("aria-pressed", String(count?.me_voted ?? false));
    button.disabled = ended;
    button.addEventListener("click", () => vote(m, a.answer_id));
    box.append(button);
  }
  const footer = document.createElement("div");
  footer.className = "poll-footer";
  footer.textContent = ended ? "Poll ended"
    : `${m.poll.allow_multiselect ? "Several answers · " : ""}` +
      (m.poll.expiry ? `ends ${new Date(m.poll.expiry).toLocaleString()}` : "");
  if (!ended && m.author.id === state.user?.id && !m.webhook_id) {
    const end = document.createElement("button");
    end.type = "button";
    end.className = "link poll-end";
    end.textContent = "End now";
    end.addEventListener("click", () => api("POST", `/channels/${m.channel_id}/polls/${m.id}/expire`)
      .catch((error) => { $("send-error").textContent = describe(error); }));
    footer.append(end);
  }
  box.append(footer);
  return box;
}

// An alert's embed holds the flagged words and, in its fields, the rule that caught them.
function autoModerationText(m) {
  const embed = m.embeds?.[0] ?? {};
  const field = (name) => embed.fields?.find((f) => f.name === name)?.value;
  return `AutoMod (${field("rule_name") ?? "a rule"}) flagged: ${embed.description ?? ""}`;
}

// A POLL_RESULT message (type 46): its embed's fields name the question and the winner.
function pollResultText(m) {
  const fields = Object.fromEntries((m.embeds?.[0]?.fields ?? []).map((f) => [f.name, f.value]));
  const winner = fields.victor_answer_text
    ? `${fields.victor_answer_text} won with ${fields.victor_answer_votes} of ${fields.total_votes} votes`
    : `no single winner (${fields.total_votes ?? 0} votes)`;
  return `The poll "${fields.poll_question_text ?? ""}" has ended: ${winner}`;
}

$("new-poll").addEventListener("click", () => {
  const form = $("poll-form");
  form.hidden = !form.hidden;
  if (!form.hidden) $("poll-question").focus();
});

$("poll-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!state.channel) return;
  const answers = $("poll-answers").value.split("\n").map((a) => a.trim()).filter(Boolean);
  const poll = {
    question: { text: $("poll-question").value.trim() },
    answers: answers.map((text) => ({ poll_media: { text } })),
    allow_multiselect: $("poll-multiselect").checked,
  };
  $("send-error").textContent = "";
  try {
    const m = await api("POST", `/channels/${state.channel.id}/messages`, { poll });
    onMessageEvent("MESSAGE_CREATE", m);
    $("poll-form").reset();
    $("poll-form").hidden = true;
  } catch (error) {
    $("send-error").textContent = describe(error);
  }
});

// MESSAGE_REACTION_ADD / _REMOVE / _REMOVE_ALL / _REMOVE_EMOJI on the message's counts.
function applyReaction(type, d) {
  const m = state.data.get(d.message_id);
  if (!m) return;
  const same = (r) => r.emoji.name === d.emoji?.name && (r.emoji.id ?? null) === (d.emoji?.id ?? null);
  let reactions = [...(m.reactions ?? [])];
  if (type === "MESSAGE_REACTION_REMOVE_ALL") {
    reactions = [];
  } else if (type === "MESSAGE_REACTION_REMOVE_EMOJI") {
    reactions = reactions.filter((r) => !same(r));
  } else {
    const mine = d.user_id === state.user?.id;
    const delta = type === "MESSAGE_REACTION_ADD" ? 1 : -1;
    let r = reactions.find(same);
    if (!r) {
      if (delta < 0) return;
      r = { emoji: d.emoji, count: 0, me: false };
      reactions.push(r);
    } else {
      r = { ...r };
      reactions[reactions.findIndex(same)] = r;
    }
    r.count += delta;
    if (mine) r.me = delta > 0;
    reactions = reactions.filter((x) => x.count > 0);
  }
  showMessage({ ...m, reactions });
}

// Adds or takes back the user's own reaction; the gateway's event updates the count.
async function toggleReaction(m, emoji, mine) {
  const path = `/channels/${m.channel_id}/messages/${m.id}/reactions/${encodeURIComponent(emoji)}/@me`;
  try {
    await api(mine ? "DELETE" : "PUT", path);
  } catch (error) {
    $("send-error").textContent = describe(error);
  }
}

async function loadHistory() {
  const channel = state.channel;
  const mine = view;
  const events = [];
  held = events;
  let history;
  try {
    history = await api("GET", `/channels/${channel.id}/messages?limit=50`);
  } finally {
    if (held === events) held = null;
  }
  if (mine !== view) return; // another channel was opened meanwhile
  state.messages.clear();
  state.data.clear();
  $("messages").replaceChildren();
  for (const m of history.reverse()) showMessage(m);
  // A reaction event held meanwhile may or may not be in the page just read, and counting it
  // again would be wrong: the message is read afresh instead.
  const reacted = new Set();
  for (const [type, d] of events) {
    if (type.startsWith("MESSAGE_REACTION_") || type.startsWith("MESSAGE_POLL_VOTE_")) {
      reacted.add(d.message_id);
    } else {
      applyMessageEvent(type, d);
    }
  }
  for (const id of reacted) {
    if (!state.data.has(id)) continue;
    const fresh = await api("GET", `/channels/${channel.id}/messages/${id}`).catch(() => null);
    if (fresh && mine === view) showMessage(fresh);
  }
}

function messageItem(m) {
  const li = document.createElement("li");
  li.dataset.id = m.id;
  const author = document.createElement("button");
  author.type = "button";
  author.className = "author";
  author.textContent = m.member?.nick || m.author.global_name || m.author.username;
  author.title = "Send a direct message";
  author.addEventListener("click", () => openDm(m.author));
  const time = document.createElement("time");
  time.dateTime = m.timestamp;
  time.textContent = new Date(m.timestamp).toLocaleTimeString();
  const content = document.createElement("div");
  content.className = "content";
  const snapshot = m.message_snapshots?.[0]?.message;
  content.textContent = m.type === POLL_RESULT ? pollResultText(m)
    : m.type === CHANNEL_FOLLOW_ADD ? `has added ${m.content} to this channel.`
    : m.type === AUTO_MODERATION_ACTION ? autoModerationText(m)
    : [RECIPIENT_ADD, RECIPIENT_REMOVE, CHANNEL_NAME_CHANGE, CHANNEL_ICON_CHANGE].includes(m.type)
      ? groupNoticeText(m)
    : snapshot ? `Forwarded: ${snapshot.content}`
    : m.content + (m.edited_timestamp ? " (edited)" : "");
  if (m.poll) content.append(pollItem(m));
  for (const st of m.sticker_items ?? []) {
    const sticker = document.createElement("img");
    sticker.className = "sticker";
    sticker.src = `/stickers/${st.id}.${st.format_type === 4 ? "gif" : "png"}`;
    sticker.alt = sticker.title = st.name;
    content.append(sticker);
  }
  for (const a of m.attachments ?? []) {
    const link = document.createElement("a");
    link.href = a.url;
    link.textContent = ` [${a.filename}]`;
    link.rel = "noopener";
    link.target = "_blank";
    content.append(link);
  }
  const reactions = document.createElement("div");
  reactions.className = "reactions";
  for (const r of m.reactions ?? []) {
    const name = r.emoji.id ? `:${r.emoji.name}:` : r.emoji.name;
    const button = document.createElement("button");
    button.type = "button";
    button.className = r.me ? "reaction mine" : "reaction";
    button.textContent = `${name} ${r.count}`;
    button.setAttribute("aria-pressed", String(r.me));
    const emoji = r.emoji.id ? `${r.emoji.name}:${r.emoji.id}` : r.emoji.name;
    button.addEventListener("click", () => toggleReaction(m, emoji, r.me));
    reactions.append(button);
  }
  if (!(m.reactions ?? []).some((r) => r.emoji.name === QUICK_REACTION && !r.emoji.id)) {
    const add = document.createElement("button");
    add.type = "button";
    add.className = "reaction add";
    add.textContent = `+${QUICK_REACTION}`;
    add.title = "React";
    add.addEventListener("click", () => toggleReaction(m, QUICK_REACTION, false));
    reactions.append(add);
  }
  if (m.flags & CROSSPOSTED) {
    const note = document.createElement("small");
    note.className = "published";
    note.textContent = "published";
    content.append(note);
  } else if (state.channel?.type === ANNOUNCEMENT_CHANNEL && m.channel_id === state.channel.id &&
             m.author.id === state.user?.id && !m.webhook_id && (m.type === 0 || m.type === 19)) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link publish";
    button.textContent = "Publish";
    button.addEventListener("click", () => publish(m));
    content.append(button);
  }
  if (m.flags & IS_CROSSPOST) author.title = "Published in a channel this one follows";
  if (m.flags & EPHEMERAL) {
    const note = document.createElement("small");
    note.className = "ephemeral";
    note.textContent = "Only you can see this";
    li.append(author, time, note, content, componentsItem(m), reactions);
  } else {
    li.append(author, time, content, componentsItem(m), reactions);
  }
  return li;
}

// --- message components -----------------------------------------------------------------------

// A message's action rows: buttons (a link button opens its URL) and select menus. Using one
// sends an interaction (type 3) to the application that posted the message; its answer arrives
// over the gateway like any message, or as a form (INTERACTION_MODAL_CREATE).
function componentsItem(m) {
  const box = document.createElement("div");
  box.className = "components";
  for (const row of m.components ?? []) {
    const line = document.createElement("div");
    line.className = "component-row";
    for (const c of row.components ?? []) line.append(componentItem(m, c));
    box.append(line);
  }
  return box;
}

function componentItem(m, c) {
  const label = [c.emoji?.name, c.label].filter(Boolean).join(" ");
  if (c.type === BUTTON && c.style === LINK_BUTTON) {
    const link = document.createElement("a");
    link.className = "component link-button";
    link.textContent = `${label} ↗`;
    // The server takes only http(s) and discord:// URLs; the page follows only the web ones.
    if (/^https?:\/\//i.test(c.url)) link.href = c.url;
    link.rel = "noopener noreferrer";
    link.target = "_blank";
    return link;
  }
  if (c.type === BUTTON) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = `component button style-${c.style}`;
    button.textContent = label;
    button.disabled = Boolean(c.disabled);
    button.addEventListener("click", () => useComponent(m, c));
    return button;
  }
  const select = document.createElement("select");
  select.className = "component";
  select.disabled = Boolean(c.disabled);
  select.multiple = (c.max_values ?? 1) > 1;
  select.setAttribute("aria-label", c.placeholder || "Choose");
  if (!select.multiple) {
    const placeholder = new Option(c.placeholder || "Choose…", "", true, true);
    placeholder.disabled = true;
    select.append(placeholder);
  }
  for (const [value, text] of selectChoices(c)) select.append(new Option(text, value));
  const pick = () => {
    const values = [...select.selectedOptions].map((o) => o.value).filter(Boolean);
    useComponent(m, c, values);
  };
  if (!select.multiple) {
    select.addEventListener("change", pick);
    return select;
  }
  const choose = document.createElement("button");
  choose.type = "button";
  choose.textContent = "Choose";
  choose.disabled = select.disabled;
  choose.addEventListener("click", pick);
  const group = document.createElement("span");
  group.append(select, choose);
  return group;
}

// A menu's choices as [value, text]: its own options, or the server's members, roles, channels.
function selectChoices(c) {
  const members = () => (state.members ?? []).map((u) => [u.id, `@${u.name}`]);
  const roles = () =>
    (state.guilds.get(state.guild?.id)?.roles ?? []).map((r) => [r.id, `@${r.name}`]);
  switch (c.type) {
    case STRING_SELECT:
      return (c.options ?? []).map((o) => [o.value, [o.emoji?.name, o.label].filter(Boolean).join(" ")]);
    case USER_SELECT:
      return members();
    case ROLE_SELECT:
      return roles();
    case MENTIONABLE_SELECT:
      return [...members(), ...roles()];
    case CHANNEL_SELECT:
      return state.channels
        .filter((ch) => !c.channel_types || c.channel_types.includes(ch.type))
        .map((ch) => [ch.id, `#${ch.name}`]);
    default:
      return [];
  }
}

async function useComponent(m, c, values) {
  const data = { custom_id: c.custom_id, component_type: c.type };
  if (values) data.values = values;
  const body = { type: 3, channel_id: m.channel_id, message_id: m.id, data };
  if (state.guild && state.guild.id !== DM) body.guild_id = state.guild.id;
  $("send-error").textContent = "";
  try {
    await api("POST", "/interactions", body);
  } catch (error) {
    $("send-error").textContent = describe(error);
  }
}

// An application's form (a modal): its text fields, submitted as an interaction (type 5).
function showModal(d) {
  if (d.channel_id !== state.channel?.id) return;
  const dialog = $("modal");
  $("modal-title").textContent = d.title;
  const fields = $("modal-fields");
  fields.replaceChildren();
  for (const row of d.components ?? []) {
    for (const c of row.components ?? []) {
      const label = document.createElement("label");
      label.textContent = c.label;
      const input = document.createElement(c.style === 2 ? "textarea" : "input");
      input.name = c.custom_id;
      input.required = c.required !== false;
      if (c.min_length) input.minLength = c.min_length;
      if (c.max_length) input.maxLength = c.max_length;
      if (c.placeholder) input.placeholder = c.placeholder;
      input.value = c.value ?? "";
      label.append(input);
      fields.append(label);
    }
  }
  $("modal-error").textContent = "";
  $("modal-form").onsubmit = async (event) => {
    event.preventDefault();
    const components = [...fields.querySelectorAll("input, textarea")].map((input) => ({
      type: 1,
      components: [{ type: TEXT_INPUT, custom_id: input.name, value: input.value }],
    }));
    try {
      await api("POST", "/interactions", {
        type: 5,
        application_id: d.application.id,
        channel_id: d.channel_id,
        guild_id: d.guild_id,
        data: { id: d.id, custom_id: d.custom_id, components },
      });
      dialog.close();
    } catch (error) {
      $("modal-error").textContent = describe(error);
    }
  };
  if (!dialog.open) dialog.showModal();
}

// Adds or replaces a message, keeping the list in id (time) order.
function showMessage(m) {
  const list = $("messages");
  const item = messageItem(m);
  const existing = state.messages.get(m.id);
  if (existing) {
    existing.replaceWith(item);
  } else {
    let before = null;
    for (const [id, li] of state.messages) {
      if (BigInt(id) > BigInt(m.id) && (!before || BigInt(id) < BigInt(before.dataset.id))) {
        before = li;
      }
    }
    list.insertBefore(item, before);
  }
  state.messages.set(m.id, item);
  state.data.set(m.id, m);
  if (!existing) list.scrollTop = list.scrollHeight;
}

function removeMessage(id) {
  state.messages.get(id)?.remove();
  state.messages.delete(id);
  state.data.delete(id);
}

// --- slash commands ---------------------------------------------------------------------------

// "/name option:value …" in a server runs an application's command (POST /interactions), as
// Discord's client does; what a server offers comes from its application-command index, read
// again when a name is not in it.
const commandIndex = new Map(); // guild id -> the index

async function findCommand(guildId, name, fresh = false) {
  let index = commandIndex.get(guildId);
  if (fresh || !index?.application_commands.some((c) => c.name === name)) {
    try {
      index = await api("GET", `/guilds/${guildId}/application-command-index`);
    } catch {
      return undefined; // no index to read: the text is sent as a message
    }
    commandIndex.set(guildId, index);
  }
  return index.application_commands.find((c) => c.name === name && c.type === 1);
}

// `label:damage sides:20 note:"two words"` as the command's options, typed as it declares them.
function commandOptions(command, text) {
  const declared = command.options || [];
  if (declared.some((o) => o.type === 1 || o.type === 2)) {
    throw new Error(`/${command.name} has subcommands, which this client cannot run yet`);
  }
  const options = [];
  for (const match of text.matchAll(/([^\s:"]+):(?:"([^"]*)"|(\S+))/gu)) {
    const option = declared.find((o) => o.name === match[1]);
    if (!option) throw new Error(`/${command.name} has no option ${match[1]}`);
    const raw = match[2] ?? match[3];
    let value = raw;
    if (option.type === 4) value = Number.parseInt(raw, 10);
    else if (option.type === 10) value = Number(raw);
    else if (option.type === 5) value = raw === "true";
    options.push({ type: option.type, name: option.name, value });
  }
  return options;
}

// True when `content` ran a command (the bot's answer comes as a message). A command the page
// knew from an older index (changed or registered again since) is looked up once more.
async function runCommand(content) {
  const guild = state.guild;
  if (!guild || guild.id === DM) return false;
  const [, name, rest] = content.match(/^\/(\S+)\s*(.*)$/su) || [];
  if (!name) return false;
  for (const fresh of [false, true]) {
    const command = await findCommand(guild.id, name, fresh);
    if (!command) return false;
    try {
      await api("POST", "/interactions", {
        type: 2,
        application_id: command.application_id,
        guild_id: guild.id,
        channel_id: state.channel.id,
        data: { id: command.id, name: command.name, type: 1, options: commandOptions(command, rest) },
      });
      return true;
    } catch (error) {
      const stale = error instanceof ApiError && (error.status === 404 || error.status === 400);
      if (fresh || !stale) throw error;
    }
  }
  return false;
}

$("composer").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = $("message-input");
  const picker = $("file-input");
  const content = input.value;
  const file = picker.files[0];
  if ((!content.trim() && !file) || !state.channel) return;
  input.value = "";
  // Out of the picker now, so that the next message does not carry it again while it uploads.
  clearFile();
  $("send-error").textContent = "";
  try {
    if (!file && content.startsWith("/") && (await runCommand(content))) return;
    // A nonce lets the server answer a retry with the first message instead of a second one.
    const nonce = String(Date.now()) + String(Math.floor(Math.random() * 1e6));
    const payload = { content, nonce, enforce_nonce: true };
    let body = payload;
    if (file) {
      // As discord.js sends uploads: payload_json, and the file as files[0].
      payload.attachments = [{ id: 0, filename: file.name }];
      body = new FormData();
      body.append("payload_json", JSON.stringify(payload));
      body.append("files[0]", file, file.name);
    }
    const m = await api("POST", `/channels/${state.channel.id}/messages`, body);
    onMessageEvent("MESSAGE_CREATE", m);
  } catch (error) {
    input.value = content;
    $("send-error").textContent = describe(error) + (file ? ` (${file.name} was not sent)` : "");
  }
});

// --- gateway ----------------------------------------------------------------------------------

// One gateway connection: IDENTIFY, heartbeats, dispatches. After a drop it connects again
// (backing off), and reloads the open channel's history so that nothing sent meanwhile is missed.
class Gateway {
  constructor() {
    this.stopped = false;
    this.attempt = 0;
    this.connect();
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    this.ws = new WebSocket(`${scheme}://${location.host}/?v=10&encoding=json`);
    this.seq = null;
    this.acked = true;
    this.ws.onmessage = (event) => this.onFrame(JSON.parse(event.data));
    this.ws.onclose = (event) => this.onClose(event.code);
    setStatus("connecting…");
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.beat);
    this.ws.close(1000);
  }

  send(frame) {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  heartbeat(interval) {
    if (!this.acked) {
      this.ws.close(4000); // no ack since the last beat: the connection is dead
      return;
    }
    this.acked = false;
    this.send({ op: 1, d: this.seq });
    this.beat = setTimeout(() => this.heartbeat(interval), interval);
  }

  onFrame(frame) {
    if (frame.s != null) this.seq = frame.s;
    switch (frame.op) {
      case 10: {
        const interval = frame.d.heartbeat_interval;
        this.beat = setTimeout(() => this.heartbeat(interval), interval * Math.random());
        this.send({
          op: 2,
          d: {
            token: tokens.access,
            intents: INTENTS,
            properties: { os: navigator.platform || "web", browser: "chat-server web", device: "" },
          },
        });
        break;
      }
      case 11:
        this.acked = true;
        break;
      case 1:
        this.send({ op: 1, d: this.seq });
        break;
      case 7:
      case 9:
        this.ws.close(4000);
        break;
      case 0:
        this.onDispatch(frame.t, frame.d);
        break;
      default:
        break;
    }
  }

  onDispatch(type, d) {
    switch (type) {
      case "READY":
        setStatus("live");
        if (this.attempt > 0 && state.channel) loadHistory().catch(() => {});
        this.attempt = 0;
        break;
      case "MESSAGE_CREATE":
      case "MESSAGE_UPDATE":
      case "MESSAGE_DELETE":
      case "MESSAGE_DELETE_BULK":
      case "MESSAGE_REACTION_ADD":
      case "MESSAGE_REACTION_REMOVE":
      case "MESSAGE_REACTION_REMOVE_ALL":
      case "MESSAGE_REACTION_REMOVE_EMOJI":
      case "MESSAGE_POLL_VOTE_ADD":
      case "MESSAGE_POLL_VOTE_REMOVE":
        onMessageEvent(type, d);
        break;
      case "INTERACTION_MODAL_CREATE":
        showModal(d);
        break;
      case "GUILD_CREATE":
        if (!state.guilds.has(d.id)) {
          state.guilds.set(d.id, d);
          renderGuilds();
        }
        // Its active threads, fresh after a reconnect too.
        if (state.guild?.id === d.id && d.threads) {
          setThreads(d.threads);
          renderChannels();
        }
        break;
      case "THREAD_CREATE":
      case "THREAD_UPDATE":
      case "THREAD_DELETE":
        onThreadEvent(type, d);
        break;
      case "GUILD_SCHEDULED_EVENT_CREATE":
      case "GUILD_SCHEDULED_EVENT_UPDATE":
      case "GUILD_SCHEDULED_EVENT_DELETE":
      case "GUILD_SCHEDULED_EVENT_USER_ADD":
      case "GUILD_SCHEDULED_EVENT_USER_REMOVE":
        onScheduledEvent(type, d);
        break;
      case "GUILD_DELETE":
        state.guilds.delete(d.id);
        renderGuilds();
        if (state.guild?.id === d.id) {
          const next = state.guilds.keys().next().value;
          if (next) selectGuild(next).catch(() => {});
        }
        break;
      case "GUILD_MEMBER_ADD":
      case "GUILD_MEMBER_UPDATE":
      case "GUILD_MEMBER_REMOVE":
        if (d.guild_id === state.guild?.id) loadMembers(d.guild_id).catch(() => {});
        break;
      case "CHANNEL_CREATE":
      case "CHANNEL_UPDATE":
      case "CHANNEL_DELETE":
        if (d.guild_id && d.guild_id === state.guild?.id) selectGuild(state.guild.id).catch(() => {});
        if (!d.guild_id && state.guild?.id === DM) refreshDms().catch(() => {});
        break;
      case "CHANNEL_RECIPIENT_ADD":
      case "CHANNEL_RECIPIENT_REMOVE":
        if (state.guild?.id === DM) refreshDms().catch(() => {});
        break;
      default:
        break;
    }
  }

  async onClose(code) {
    clearTimeout(this.beat);
    if (this.stopped) return;
    setStatus("reconnecting…");
    // 4004: the access token expired. 4010-4014 (shard, version, intents): trying again cannot help.
    if (code === 4004 && !(await refreshTokens())) {
      logout();
      return;
    }
    if (code >= 4010 && code <= 4014) {
      setStatus(`disconnected (${code})`);
      return;
    }
    this.attempt += 1;
    await sleep(Math.min(1000 * 2 ** (this.attempt - 1), 15000));
    if (!this.stopped) this.connect();
  }
}

function setStatus(text) {
  $("status").textContent = text;
}

// --- boot -------------------------------------------------------------------------------------

if (tokens.access) {
  start().catch((error) => {
    showLogin();
    $("login-error").textContent = describe(error);
  });
} else {
  showLogin();
}
