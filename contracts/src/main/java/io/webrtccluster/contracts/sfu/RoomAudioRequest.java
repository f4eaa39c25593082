package io.webrtccluster.contracts.sfu;

/**
 * {@code PUT /v1/rooms/{room}/audio}: how the worker routes a running room's audio. A live switch between SFU
 * and MCU goes {@code forwarded → both → mixed} (or back): while both run, every listener receives the mix
 * and each speaker, so its client can flip between them without a gap once the new one decodes.
 *
 * @param mode          "forwarded" (SFU: a stream per speaker), "mixed" (MCU: one mixed stream) or "both"
 * @param mixerSpeakers when the room starts mixing, how many active speakers are mixed at once (default 3)
 */
public record RoomAudioRequest(String mode, Integer mixerSpeakers) {
    public static final String FORWARDED = "forwarded";
    public static final String MIXED = "mixed";
    public static final String BOTH = "both";
}
