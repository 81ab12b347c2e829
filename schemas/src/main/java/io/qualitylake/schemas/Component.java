package io.qualitylake.schemas;

/** One component of a built unit and the supplier lot it came from. */
public record Component(String component, String supplierId, String lotId) {}
