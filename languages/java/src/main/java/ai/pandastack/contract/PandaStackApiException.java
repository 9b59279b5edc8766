package ai.pandastack.contract;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * A failed call of the PandaStack API: the HTTP status and the envelope's {@code error} member.
 * Build it from a generated client's exception with {@link #from(Exception)}, or from a status
 * and body with {@link #fromResponse(int, String)}.
 */
public final class PandaStackApiException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient ErrorObject error;

    private PandaStackApiException(int status, ErrorObject error) {
        super(error.getCode() + " (HTTP " + status + ", request " + error.getRequestId() + "): " + error.getMessage());
        this.status = status;
        this.error = error;
    }

    /** Reads an error response; fails when the body is not the error envelope. */
    public static PandaStackApiException fromResponse(int status, String body) throws InvalidErrorBodyException {
        if (status < 400) throw new InvalidErrorBodyException("HTTP " + status + " is not an error status");
        if (body == null || body.isEmpty()) throw new InvalidErrorBodyException("HTTP " + status + " came without a body");
        return new PandaStackApiException(status, PandaStackError.parse(body).getError());
    }

    /**
     * Reads a generated client's exception: openapi-generator's Java ApiException (every library)
     * has {@code getCode()} and {@code getResponseBody()}. Looked up by name, so this package
     * depends on no generated client.
     */
    public static PandaStackApiException from(Exception failure) throws InvalidErrorBodyException {
        try {
            Method code = failure.getClass().getMethod("getCode");
            Method body = failure.getClass().getMethod("getResponseBody");
            return fromResponse((Integer) code.invoke(failure), (String) body.invoke(failure));
        } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException | ClassCastException e) {
            throw new InvalidErrorBodyException(failure.getClass().getName() + " carries no HTTP status and body (getCode, getResponseBody) to read an error from");
        }
    }

    public int getStatus() {
        return status;
    }

    public ErrorObject getError() {
        return error;
    }

    /** The code as sent, also when this package does not know it. */
    public String getCode() {
        return error.getCode();
    }

    public String getRequestId() {
        return error.getRequestId();
    }

    public boolean isRetryable() {
        return error.isRetryable();
    }
}
