package dev.cairn.platform.http;

import java.net.URI;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.cairn.platform.problem.ApiException;

/** Another Cairn service that cannot answer makes a request 503 with Retry-After (try again), not a 500. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class UnavailableDependencyHandler {

    private static final Logger log = LoggerFactory.getLogger(UnavailableDependencyHandler.class);

    @ExceptionHandler(ServiceHttp.UnreachableException.class)
    ResponseEntity<ProblemDetail> unavailable(ServiceHttp.UnreachableException e) {
        log.warn("Answering 503: {}", e.getMessage());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "A service this request depends on cannot answer now. Try again.");
        problem.setType(URI.create(ApiException.TYPE_BASE + "dependency-unavailable"));
        problem.setTitle("Service unavailable");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "1").body(problem);
    }
}
