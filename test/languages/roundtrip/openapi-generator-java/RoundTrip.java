// The round trip through openapi-generator's Java client, library apache-httpclient (see
// ../README.md). Not the native library: it serialises a File body as JSON (the file's path in
// quotes) instead of sending its bytes; not okhttp-gson: its boolean enums do not compile.
import ai.pandastack.client.ApiClient;
import ai.pandastack.client.ApiException;
import ai.pandastack.client.api.ExecApi;
import ai.pandastack.client.api.FilesystemApi;
import ai.pandastack.client.api.SandboxesApi;
import ai.pandastack.client.model.ExecRequest;
import ai.pandastack.client.model.ExecResult;
import ai.pandastack.client.model.FileWriteResult;
import ai.pandastack.client.model.Sandbox;
import ai.pandastack.client.model.SandboxCreate;
import ai.pandastack.contract.PandaStackApiException;
import ai.pandastack.contract.PandaStackError;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.hc.client5.http.impl.classic.HttpClients;

public final class RoundTrip {
    private static final UUID MISSING = UUID.fromString("00000000-0000-4000-8000-000000000000");
    private static final String FILE = "/workspace/hello.txt";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A call that must fail with an ApiException. */
    private interface Failing {
        void call() throws ApiException;
    }

    private RoundTrip() {}

    private static ApiClient api(String url, String token) {
        // HttpClient 5 would otherwise sleep out a 429's Retry-After and retry; the driver reads the 429.
        ApiClient client = new ApiClient(HttpClients.custom().disableAutomaticRetries().build());
        client.setBasePath(url);
        client.setBearerToken(token);
        return client;
    }

    private static Map<String, Object> roundTrip(ApiClient client, String text) throws Exception {
        SandboxesApi sandboxes = new SandboxesApi(client);
        Sandbox created = sandboxes.createSandbox(new SandboxCreate().template("code-interpreter"), null);
        String status = created.getStatus().getValue();
        for (int i = 0; i < 100 && !status.equals("running"); i++) { // bounded: 100 polls, 50 ms apart
            Thread.sleep(50);
            status = sandboxes.getSandbox(created.getId(), null).getStatus().getValue();
        }
        File body = File.createTempFile("roundtrip-", ".txt");
        body.deleteOnExit();
        Files.writeString(body.toPath(), text);
        FilesystemApi fs = new FilesystemApi(client);
        FileWriteResult written = fs.writeFile(created.getId(), FILE, body, null);
        ExecResult ran = new ExecApi(client).execCommand(created.getId(), new ExecRequest().cmd("cat " + FILE), null);
        File read = fs.readFile(created.getId(), FILE, null);
        sandboxes.deleteSandbox(created.getId(), null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("created_status", created.getStatus().getValue());
        out.put("status", status);
        out.put("bytes", written.getBytes());
        out.put("stdout", ran.getStdout());
        out.put("exit_code", ran.getExitCode());
        out.put("read", Files.readString(read.toPath(), StandardCharsets.UTF_8));
        return out;
    }

    /** Reads the failure through the languages/java package. */
    private static Map<String, Object> failure(Failing call) throws Exception {
        try {
            call.call();
        } catch (ApiException e) {
            PandaStackApiException err = PandaStackApiException.from(e);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("http_status", err.getStatus());
            out.put("code", err.getCode());
            out.put("known", err.getError().getKnownCode().isPresent());
            out.put("request_id", err.getRequestId());
            out.put("retryable", err.isRetryable());
            out.put("retry_after_sec", err.getError().getRetryAfterSec().isPresent() ? err.getError().getRetryAfterSec().getAsLong() : null);
            Object details = err.getError().getKnownCode().isPresent() ? JSON.readTree(PandaStackError.toJson(err.getError().typedDetails())) : err.getError().getDetails();
            out.put("details", details);
            out.put("text", err.getMessage());
            return out;
        }
        throw new IllegalStateException("the call succeeded; an error was expected");
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        String url = env.get("PANDASTACK_URL");
        ApiClient main = api(url, env.get("PANDASTACK_API_KEY"));
        SandboxesApi rate = new SandboxesApi(api(url, env.get("RATE_API_KEY")));
        Map<String, Object> errors = new LinkedHashMap<>();
        errors.put("not_found", failure(() -> new SandboxesApi(main).getSandbox(MISSING, null)));
        errors.put("quota", failure(() -> new SandboxesApi(api(url, env.get("QUOTA_API_KEY"))).createSandbox(new SandboxCreate().template("code-interpreter"), null)));
        errors.put("rate_limited", failure(() -> {
            try {
                rate.getSandbox(MISSING, null); // the one call a minute allows
            } catch (ApiException first) {
                rate.getSandbox(MISSING, null);
            }
        }));
        errors.put("unknown", failure(() -> new SandboxesApi(api(env.get("UNKNOWN_URL"), env.get("PANDASTACK_API_KEY"))).getSandbox(MISSING, null)));
        ObjectNode out = JSON.createObjectNode();
        out.set("roundtrip", JSON.valueToTree(roundTrip(main, env.get("FILE_TEXT"))));
        out.set("errors", JSON.valueToTree(errors));
        System.out.println(JSON.writeValueAsString(out));
    }
}
