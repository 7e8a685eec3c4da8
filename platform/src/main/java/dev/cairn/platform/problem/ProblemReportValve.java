package dev.cairn.platform.problem;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's error report for requests it refuses before any servlet sees them (an encoded
 * {@code /} or a NUL in the path, a malformed request line): problem+json, like every other
 * refusal, instead of Tomcat's HTML page. Nothing from the request or the exception is echoed.
 */
public class ProblemReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int code = response.getStatus();
        if (code < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus status = HttpStatus.resolve(code);
        if (status == null) {
            status = code < 500 ? HttpStatus.BAD_REQUEST : HttpStatus.INTERNAL_SERVER_ERROR;
        }
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(ProblemJson.render(status, status.is4xxClientError() ? "The request was refused before it reached the service" : null));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client has gone, or the response was committed meanwhile: nothing more to say
        }
    }
}
