package io.webrtccluster.sfu.control;

import io.webrtccluster.contracts.sfu.CreateParticipantRequest;
import io.webrtccluster.contracts.sfu.ParticipantTransport;
import io.webrtccluster.contracts.sfu.RoomAudioRequest;
import io.webrtccluster.contracts.sfu.SfuAnswer;
import io.webrtccluster.contracts.sfu.SubscriptionRequest;
import io.webrtccluster.contracts.sfu.WorkerStats;
import io.webrtccluster.sfu.mixer.MixConfig;
import io.webrtccluster.sfu.room.AudioMode;
import io.webrtccluster.sfu.room.Router;
import io.webrtccluster.sfu.worker.MediaWorker;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/** The HTTP control API signaling calls (see sfu-worker/README.md). */
@Path("/v1")
public class ControlResource {
    @Inject
    MediaWorker worker;

    @POST
    @Path("/rooms/{room}/participants")
    public Response create(@PathParam("room") String room, CreateParticipantRequest req) {
        if (req == null || req.participantId() == null || req.participantId().isBlank()) {
            throw new BadRequestException("participantId is required");
        }
        if (worker.draining()) {
            return Response.status(503).entity(new ErrorBody("draining")).build();
        }
        if (req.topology() != null && !req.mcu() && !"sfu".equals(req.topology())) {
            throw new BadRequestException("topology must be sfu or mcu");
        }
        MixConfig mixing = req.mcu() ? MixConfig.defaults(req.mixerSpeakers() == null ? MixConfig.DEFAULT_SPEAKERS
                : req.mixerSpeakers()) : null;
        Router.Negotiation n = worker.router(room, mixing).createTransport(req.participantId(),
                Boolean.TRUE.equals(req.simulcast()), !Boolean.FALSE.equals(req.autoSubscribe()));
        return Response.status(201).entity(transport(room, req.participantId(), n)).build();
    }

    @POST
    @Path("/rooms/{room}/participants/{participant}/answer")
    public ParticipantTransport answer(@PathParam("room") String room, @PathParam("participant") String participant,
                                       SfuAnswer answer) {
        if (answer == null || answer.sdp() == null) {
            throw new BadRequestException("sdp is required");
        }
        return transport(room, participant, worker.router(room, false).applyAnswer(participant, answer.sdp(), answer.version()));
    }

    @GET
    @Path("/rooms/{room}/participants/{participant}/offer")
    public ParticipantTransport offer(@PathParam("room") String room, @PathParam("participant") String participant) {
        return transport(room, participant, worker.router(room, false).outstandingOffer(participant));
    }

    @DELETE
    @Path("/rooms/{room}/participants/{participant}")
    public Response close(@PathParam("room") String room, @PathParam("participant") String participant) {
        worker.closeParticipant(room, participant);
        return Response.noContent().build();
    }

    @POST
    @Path("/rooms/{room}/participants/{participant}/subscriptions")
    public Response subscribe(@PathParam("room") String room, @PathParam("participant") String participant,
                              SubscriptionRequest req) {
        requirePublisher(req);
        Router r = worker.router(room, false);
        r.subscribe(participant, req.publisherId());
        if (req.maxLayer() != null) {
            r.setMaxLayer(participant, req.publisherId(), req.maxLayer());
        }
        return Response.noContent().build();
    }

    @DELETE
    @Path("/rooms/{room}/participants/{participant}/subscriptions/{publisher}")
    public Response unsubscribe(@PathParam("room") String room, @PathParam("participant") String participant,
                                @PathParam("publisher") String publisher) {
        worker.router(room, false).unsubscribe(participant, publisher);
        return Response.noContent().build();
    }

    @PUT
    @Path("/rooms/{room}/participants/{participant}/max-layer")
    public Response maxLayer(@PathParam("room") String room, @PathParam("participant") String participant,
                             SubscriptionRequest req) {
        if (req == null || req.maxLayer() == null) {
            throw new BadRequestException("maxLayer is required");
        }
        worker.router(room, false).setMaxLayer(participant, req.publisherId(), req.maxLayer());
        return Response.noContent().build();
    }

    /**
     * Routes a running room's audio anew: the steps of a live switch between SFU ("forwarded") and MCU
     * ("mixed"), through "both" while clients change over. Idempotent; every affected participant gets an offer.
     */
    @PUT
    @Path("/rooms/{room}/audio")
    public RoomAudio audio(@PathParam("room") String room, RoomAudioRequest req) {
        if (req == null) {
            throw new BadRequestException("mode is required (forwarded, mixed or both)");
        }
        AudioMode mode = AudioMode.fromWire(req.mode());
        int speakers = req.mixerSpeakers() == null ? MixConfig.DEFAULT_SPEAKERS : req.mixerSpeakers();
        Router r = worker.router(room, false);
        r.setAudio(mode, MixConfig.defaults(speakers));
        return new RoomAudio(r.topology(), r.audio().wireName());
    }

    public record RoomAudio(String topology, String audio) {
    }

    @GET
    @Path("/stats")
    public WorkerStats stats() {
        return worker.stats();
    }

    /** Latency the worker adds per forwarded packet since the last reset (for the benchmark). */
    @GET
    @Path("/stats/forwarding")
    public io.webrtccluster.sfu.metrics.ForwardingLatency.Snapshot forwarding(@jakarta.ws.rs.QueryParam("reset") boolean reset) {
        return io.webrtccluster.sfu.metrics.MediaMetrics.get().forwarding().snapshot(reset);
    }

    /** An MCU room's active speakers as of the last 20 ms tick (also sent to participants as {@code active-speakers}). */
    @GET
    @Path("/rooms/{room}/active-speakers")
    public ActiveSpeakers activeSpeakers(@PathParam("room") String room) {
        Router r = worker.router(room, false);
        return new ActiveSpeakers(r.topology(), r.activeSpeakers());
    }

    /** Mouth-to-ear delay the mixer added (speaker packet received → mix sent) since the last reset (for the benchmark). */
    @GET
    @Path("/stats/mixing")
    public io.webrtccluster.sfu.metrics.ForwardingLatency.Snapshot mixing(@jakarta.ws.rs.QueryParam("reset") boolean reset) {
        return io.webrtccluster.sfu.metrics.MediaMetrics.get().mixing().snapshot(reset);
    }

    public record ActiveSpeakers(String topology, java.util.List<String> speakers) {
    }

    private ParticipantTransport transport(String room, String participant, Router.Negotiation n) {
        return new ParticipantTransport(room, participant, worker.workerId(), n.offer(), n.delivered());
    }

    private static void requirePublisher(SubscriptionRequest req) {
        if (req == null || req.publisherId() == null) {
            throw new BadRequestException("publisherId is required");
        }
    }

    public record ErrorBody(String error) {
    }
}
