// Reads error bodies with the generated Java model and reports what it read.
//
//     java ModelsCheck            cases on stdin: a JSON list of {"where", "body"}
//     java ModelsCheck fetch URL  one GET to a local server; the answer is the case
//
// Prints one JSON object per case (see test/languages-models.test.ts for the fields).
import ai.pandastack.contract.ErrorCatalog;
import ai.pandastack.contract.ErrorCode;
import ai.pandastack.contract.ErrorObject;
import ai.pandastack.contract.InvalidErrorBodyException;
import ai.pandastack.contract.PandaStackError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

public final class ModelsCheck {
    private static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode describe(String where, String body) throws Exception {
        ObjectNode r = JSON.createObjectNode();
        r.put("where", where);
        PandaStackError envelope;
        try {
            envelope = PandaStackError.parse(body);
        } catch (InvalidErrorBodyException e) {
            r.put("ok", false);
            r.put("error", e.getMessage());
            return r;
        }
        ErrorObject e = envelope.getError();
        Optional<ErrorCode> known = e.getKnownCode();
        r.put("ok", true);
        r.put("code", e.getCode());
        r.put("known", known.isPresent());
        r.put("message", e.getMessage());
        r.put("request_id", e.getRequestId());
        r.put("retryable", e.isRetryable());
        OptionalLong wait = e.getRetryAfterSec();
        if (wait.isPresent()) r.put("retry_after_sec", wait.getAsLong());
        else r.putNull("retry_after_sec");
        if (known.isPresent()) {
            r.put("status", ErrorCatalog.of(known.get()).status);
            r.put("details_type", ErrorCatalog.of(known.get()).details.getSimpleName());
        } else {
            r.putNull("status");
            r.putNull("details_type");
        }
        r.set("envelope", JSON.readTree(envelope.toJson()));
        r.putNull("typed_details");
        r.putNull("typed_type");
        r.putNull("typed_error");
        try {
            Object typed = e.typedDetails();
            if (typed != null) {
                r.set("typed_details", JSON.readTree(PandaStackError.toJson(typed)));
                r.put("typed_type", typed.getClass().getSimpleName());
            }
        } catch (InvalidErrorBodyException ex) {
            r.put("typed_error", ex.getMessage());
        }
        return r;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("fetch")) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> res = client.send(HttpRequest.newBuilder(URI.create(args[1])).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            ObjectNode r = describe("server", res.body());
            r.put("http_status", res.statusCode());
            System.out.println(r);
            return;
        }
        JsonNode cases = JSON.readTree(System.in);
        for (JsonNode c : cases) System.out.println(describe(c.get("where").asText(), c.get("body").toString()));
    }
}
