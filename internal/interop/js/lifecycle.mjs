// Drives the whole custom key store lifecycle with the AWS SDK for
// JavaScript v3 against a KMS endpoint (the standalone kmstest):
// create -> connect -> wait CONNECTED -> disconnect -> wait DISCONNECTED ->
// update -> connect -> describe -> disconnect -> wait DISCONNECTED -> delete.
// Each wait polls DescribeCustomKeyStores a bounded number of times.
//
//   node lifecycle.mjs '{"endpoint":"http://127.0.0.1:4599","region":"us-east-1",
//                        "accessKeyId":"...","secretAccessKey":"...",
//                        "create":{...CreateCustomKeyStore input...},
//                        "update":{...UpdateCustomKeyStore input without the ID...},
//                        "pollMillis":100,"maxPolls":100}'
//
// Prints one JSON line per step: {"step":"create","id":"cks-..."},
// {"step":"wait","want":"CONNECTED","state":"CONNECTED","polls":3}, ...,
// {"step":"describe","entry":{...}}, and finally {"step":"done"}; on an
// error {"step":"error","at":"...","name":"...","message":"..."} and exit 1.
import * as kms from "@aws-sdk/client-kms";

const args = JSON.parse(process.argv[2]);
const client = new kms.KMSClient({
  endpoint: args.endpoint,
  region: args.region,
  maxAttempts: 3,
  credentials: { accessKeyId: args.accessKeyId, secretAccessKey: args.secretAccessKey },
});
const pollMillis = args.pollMillis ?? 100;
const maxPolls = args.maxPolls ?? 100;
const out = (o) => console.log(JSON.stringify(o));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let at = "";
async function describe(id) {
  const res = await client.send(new kms.DescribeCustomKeyStoresCommand({ CustomKeyStoreId: id }));
  return res.CustomKeyStores[0];
}

// waitFor polls until the store is in want, or fails on FAILED or after
// maxPolls attempts.
async function waitFor(id, want) {
  at = "wait " + want;
  for (let polls = 1; polls <= maxPolls; polls++) {
    const e = await describe(id);
    if (e.ConnectionState === want) {
      out({ step: "wait", want, state: e.ConnectionState, polls });
      return;
    }
    if (e.ConnectionState === "FAILED") {
      throw Object.assign(new Error("store FAILED with " + e.ConnectionErrorCode), { name: "ConnectionFailed" });
    }
    await sleep(pollMillis);
  }
  throw Object.assign(new Error(`not ${want} after ${maxPolls} polls`), { name: "WaitTimeout" });
}

try {
  at = "create";
  const created = await client.send(new kms.CreateCustomKeyStoreCommand(args.create));
  const id = created.CustomKeyStoreId;
  out({ step: "create", id });

  at = "connect";
  await client.send(new kms.ConnectCustomKeyStoreCommand({ CustomKeyStoreId: id }));
  out({ step: "connect" });
  await waitFor(id, "CONNECTED");

  at = "disconnect";
  await client.send(new kms.DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: id }));
  out({ step: "disconnect" });
  await waitFor(id, "DISCONNECTED");

  at = "update";
  await client.send(new kms.UpdateCustomKeyStoreCommand({ ...args.update, CustomKeyStoreId: id }));
  out({ step: "update" });

  at = "connect";
  await client.send(new kms.ConnectCustomKeyStoreCommand({ CustomKeyStoreId: id }));
  out({ step: "connect" });
  await waitFor(id, "CONNECTED");

  at = "describe";
  const entry = await describe(id);
  out({ step: "describe", entry: { ...entry, CreationDate: entry.CreationDate instanceof Date ? entry.CreationDate.toISOString() : String(entry.CreationDate) } });

  at = "disconnect";
  await client.send(new kms.DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: id }));
  out({ step: "disconnect" });
  await waitFor(id, "DISCONNECTED");

  at = "delete";
  await client.send(new kms.DeleteCustomKeyStoreCommand({ CustomKeyStoreId: id }));
  out({ step: "delete" });

  at = "describe deleted";
  try {
    await describe(id);
    throw Object.assign(new Error("the deleted store is still described"), { name: "StillThere" });
  } catch (err) {
    if (!(err instanceof kms.CustomKeyStoreNotFoundException)) throw err;
    out({ step: "gone", name: err.name });
  }
  out({ step: "done" });
} catch (err) {
  out({ step: "error", at, name: err.name ?? "", message: err.message ?? "" });
  process.exitCode = 1;
} finally {
  client.destroy();
}
