/** The input options every generic backbone takes, and the ImageNet defaults most published classifiers use. */
import { z, type BackboneInputSpec } from '@affectzoo/core';

export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

const triple = z.tuple([z.number(), z.number(), z.number()]);

/** Options describing a model's input; defaults: 224x224 RGB, ImageNet mean/std on 0..1 pixels. */
export const inputOptions = {
  width: z.number().int().positive().default(224).describe('Input width in pixels.'),
  height: z.number().int().positive().default(224).describe('Input height in pixels.'),
  colorOrder: z.enum(['rgb', 'bgr']).default('rgb').describe('Channel order the model expects.'),
  scale: z.number().positive().default(1 / 255).describe('Pixels (0..255) are multiplied by this before mean/std.'),
  mean: triple.default([...IMAGENET_MEAN]).describe('Per-channel mean, subtracted after scaling.'),
  std: triple.default([...IMAGENET_STD]).describe('Per-channel standard deviation, divided by after the mean.'),
};

export interface InputOptions {
  width: number;
  height: number;
  colorOrder: 'rgb' | 'bgr';
  scale: number;
  mean: [number, number, number];
  std: [number, number, number];
}

export function inputSpec(o: InputOptions, layout: BackboneInputSpec['layout']): BackboneInputSpec {
  return { width: o.width, height: o.height, colorOrder: o.colorOrder, layout, scale: o.scale, mean: o.mean, std: o.std };
}
