package dev.cairn.platform.problem;

import java.net.URI;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * An error meant for the API caller, rendered as RFC 9457 problem+json. The {@code detail} is
 * shown to the caller verbatim, so it must never carry secrets, key material or internal state.
 */
public class ApiException extends ErrorResponseException {

    public static final String TYPE_BASE = "https://cairn.dev/problems/";

    public ApiException(HttpStatus status, String type, String title, String detail) {
        this(status, type, title, detail, Map.of());
    }

    public ApiException(HttpStatus status, String type, String title, String detail, Map<String, Object> properties) {
        super(status, problem(status, type, title, detail, properties), null);
    }

    public static ApiException badRequest(String type, String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, type, "Invalid request", detail);
    }

    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, "not-found", "Not found", what + " was not found");
    }

    /** A 404 whose type says more than that the thing was not found (it does not exist yet, say). */
    public static ApiException notFound(String type, String detail) {
        return new ApiException(HttpStatus.NOT_FOUND, type, "Not found", detail);
    }

    public static ApiException conflict(String type, String detail) {
        return new ApiException(HttpStatus.CONFLICT, type, "Conflict", detail);
    }

    private static ProblemDetail problem(HttpStatus status, String type, String title, String detail, Map<String, Object> properties) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + type));
        problem.setTitle(title);
        properties.forEach(problem::setProperty);
        return problem;
    }

    @Override
    public String getMessage() {
        return getStatusCode().value() + " " + getBody().getTitle() + ": " + getBody().getDetail();
    }
}
