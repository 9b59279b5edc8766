package ai.pandastack.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PandaStackApiExceptionTest {
    private static final String NOT_FOUND = "{\"error\":{\"code\":\"sandbox.not_found\",\"message\":\"Sandbox x does not exist\",\"request_id\":\"req_abc123\",\"details\":{\"resource\":\"sandbox\",\"id\":\"x\"}}}";

    /** The shape of openapi-generator's Java ApiException, whatever its HTTP library. */
    static final class GeneratedApiException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int code;
        private final String responseBody;

        GeneratedApiException(int code, String responseBody) {
            this.code = code;
            this.responseBody = responseBody;
        }

        public int getCode() {
            return code;
        }

        public String getResponseBody() {
            return responseBody;
        }
    }

    @Test
    void aKnownCodeReadsWithTypedDetails() throws Exception {
        PandaStackApiException e = PandaStackApiException.from(new GeneratedApiException(404, NOT_FOUND));
        assertEquals(404, e.getStatus());
        assertEquals("sandbox.not_found", e.getCode());
        assertEquals("req_abc123", e.getRequestId());
        assertFalse(e.isRetryable());
        assertEquals(ErrorCode.SANDBOX_NOT_FOUND, e.getError().getKnownCode().orElseThrow());
        assertInstanceOf(ResourceDetails.class, e.getError().typedDetails());
        assertEquals("sandbox.not_found (HTTP 404, request req_abc123): Sandbox x does not exist", e.getMessage());
    }

    @Test
    void anUnknownCodeKeepsItsCodeAndRetryability() throws Exception {
        String body = "{\"error\":{\"code\":\"capacity.region_draining\",\"message\":\"m\",\"request_id\":\"req_1\",\"details\":{\"retryable\":true,\"retry_after_sec\":7}}}";
        PandaStackApiException e = PandaStackApiException.fromResponse(503, body);
        assertEquals("capacity.region_draining", e.getCode());
        assertTrue(e.getError().getKnownCode().isEmpty());
        assertTrue(e.isRetryable());
        assertEquals(7, e.getError().getRetryAfterSec().getAsLong());
    }

    @Test
    void aBodyThatIsNotTheEnvelopeIsRefused() {
        for (String body : new String[] {"", "<html>", "{\"message\":\"Bad Gateway\"}", "{\"error\":{\"code\":404,\"message\":\"m\",\"request_id\":\"r\",\"details\":{}}}"}) {
            assertThrows(InvalidErrorBodyException.class, () -> PandaStackApiException.fromResponse(502, body), body);
        }
        assertThrows(InvalidErrorBodyException.class, () -> PandaStackApiException.fromResponse(200, NOT_FOUND));
    }

    @Test
    void anExceptionWithoutStatusAndBodyIsRefusedByName() {
        InvalidErrorBodyException e = assertThrows(InvalidErrorBodyException.class, () -> PandaStackApiException.from(new IllegalStateException("x")));
        assertTrue(e.getMessage().contains("java.lang.IllegalStateException carries no HTTP status and body"));
    }
}
