"""Bijectors the papers need: planar flows (eq. 26-29) and IAF steps (eq. 30-33)."""
from tfvae.bijectors.iaf import MADE, MaskedDense, iaf_chain, iaf_step
from tfvae.bijectors.planar import PlanarFlow, PlanarFlowStack, constrain_u, planar_chain
