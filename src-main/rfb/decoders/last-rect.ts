// LastRect pseudo-encoding (-224): no body; ends an update sent with a rect count of 0xFFFF.
import { Encoding } from '../encodings';
import { RectDecoder } from './decoder';

export const lastRectDecoder: RectDecoder = {
  encoding: Encoding.LastRect,
  decode() {
    return { kind: 'last-rect' };
  },
};
