/**
 * The parts of deck.gl the map uses, named one by one so the bundler leaves the rest out (the
 * `deck.gl` umbrella, or a namespace import of `@deck.gl/layers`, keeps every layer). Loaded by
 * WallMap with import() when a map mounts.
 */
export { Deck, FlyToInterpolator, MapView, WebMercatorViewport } from '@deck.gl/core';
export { GeoJsonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
