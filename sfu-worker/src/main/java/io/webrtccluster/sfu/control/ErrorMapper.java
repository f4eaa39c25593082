package io.webrtccluster.sfu.control;

import java.util.NoSuchElementException;

import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps the media model's exceptions to HTTP: unknown room/participant 404, wrong state 409, bad input 400 (with the message). */
public class ErrorMapper {
    @ServerExceptionMapper
    public Response notFound(NoSuchElementException e) {
        return Response.status(404).entity(new ControlResource.ErrorBody(e.getMessage())).build();
    }

    @ServerExceptionMapper
    public Response conflict(IllegalStateException e) {
        return Response.status(409).entity(new ControlResource.ErrorBody(e.getMessage())).build();
    }

    /** The API's own 400s carry their message (JAX-RS would answer them with an empty body). */
    @ServerExceptionMapper
    public Response badRequest(jakarta.ws.rs.BadRequestException e) {
        return Response.status(400).entity(new ControlResource.ErrorBody(e.getMessage())).build();
    }

    @ServerExceptionMapper
    public Response badRequest(IllegalArgumentException e) {
        return Response.status(400).entity(new ControlResource.ErrorBody(e.getMessage())).build();
    }
}
