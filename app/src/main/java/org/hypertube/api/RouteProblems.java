package org.hypertube.api;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * A wrong verb, an unknown address or a body type no route takes is found before any controller, so no
 * controller's advice sees it: under /api it is answered as a problem (with Allow for 405, Accept for 415);
 * elsewhere Spring's usual handling goes on to the error page.
 */
@ControllerAdvice
class RouteProblems {

    @ExceptionHandler({HttpRequestMethodNotSupportedException.class, NoResourceFoundException.class,
            HttpMediaTypeNotSupportedException.class, HttpMediaTypeNotAcceptableException.class,
            NoHandlerFoundException.class})
    Object route(Exception e, HttpServletRequest request) throws Exception {
        if (!isApi(request)) {
            throw e; // the same exception again: Spring's default handling and the error page take over
        }
        ErrorResponse error = (ErrorResponse) e;
        ProblemDetail problem = e instanceof NoResourceFoundException || e instanceof NoHandlerFoundException
                ? ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No such route.")
                : ProblemDetail.forStatusAndDetail(error.getStatusCode(), e.getMessage());
        return ResponseEntity.status(error.getStatusCode()).headers(error.getHeaders()).body(problem);
    }

    static boolean isApi(HttpServletRequest request) {
        return request.getRequestURI().startsWith("/api/");
    }
}
