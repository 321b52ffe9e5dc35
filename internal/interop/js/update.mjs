// Calls UpdateCustomKeyStore once with the AWS SDK for JavaScript v3 and
// prints what the SDK made of the answer as one JSON line on stdout.
//
//   node update.mjs '{"endpoint":"http://127.0.0.1:4599","region":"us-east-1",
//                     "accessKeyId":"...","secretAccessKey":"...",
//                     "maxAttempts":3,"input":{"CustomKeyStoreId":"..."}}'
//
// Output: {"ok":true,"requestId":"...","attempts":1} or
// {"ok":false,"name":"CustomKeyStoreNotFoundException","typed":true,
//  "fault":"client","message":"...","requestId":"...","attempts":1,
//  "httpStatusCode":400}. "typed" is true when the error is an instance of
// the SDK's own modeled exception class of that name.
import * as kms from "@aws-sdk/client-kms";

const args = JSON.parse(process.argv[2]);
const client = new kms.KMSClient({
  endpoint: args.endpoint,
  region: args.region,
  maxAttempts: args.maxAttempts ?? 3,
  credentials: { accessKeyId: args.accessKeyId, secretAccessKey: args.secretAccessKey },
});

try {
  const out = await client.send(new kms.UpdateCustomKeyStoreCommand(args.input));
  console.log(JSON.stringify({
    ok: true,
    requestId: out.$metadata.requestId ?? "",
    attempts: out.$metadata.attempts ?? 0,
  }));
} catch (err) {
  const Modeled = kms[err.name];
  console.log(JSON.stringify({
    ok: false,
    name: err.name ?? "",
    typed: typeof Modeled === "function" && Modeled !== kms.KMSServiceException &&
      err instanceof Modeled && err instanceof kms.KMSServiceException,
    fault: err.$fault ?? "",
    message: err.message ?? "",
    requestId: err.$metadata?.requestId ?? "",
    attempts: err.$metadata?.attempts ?? 0,
    httpStatusCode: err.$metadata?.httpStatusCode ?? 0,
  }));
} finally {
  client.destroy();
}
