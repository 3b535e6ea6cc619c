package org.sagstudy.web;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ExceptionUnwrapStrategy;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.UnwrapException;
import org.sagstudy.http.ApiError;

/**
 * Bounds on the JSON the one ObjectMapper reads: no deep nesting and no huge strings or numbers. Request bodies are
 * also capped in size before they are read ({@link RequestGuards}); stored explanations stay well inside these
 * bounds.
 */
@Singleton
public class JsonLimits implements ObjectMapperCustomizer {

    static final int MAX_NESTING = 32;
    static final int MAX_STRING = 1_000_000;
    static final int MAX_NUMBER = 100;

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING)
                .maxStringLength(MAX_STRING).maxNumberLength(MAX_NUMBER).build());
    }

    /** A body over the limits is refused as too large, not as a server error. */
    @UnwrapException(value = WebApplicationException.class, strategy = ExceptionUnwrapStrategy.ALWAYS)
    public static class Mapper {

        @ServerExceptionMapper
        public Response tooLarge(StreamConstraintsException e) {
            return ApiError.of(413, "JSON too large or too deeply nested");
        }
    }
}
