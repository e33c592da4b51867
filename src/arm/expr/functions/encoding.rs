//! Hashes and encodings: `uniqueString`, `guid`, `base64`, `base64ToString`, and the hash
//! algorithms they use.

use std::fmt::Write as _;

use super::Args;
use super::string::string_result;
use crate::arm::expr::budget::{Fail, fail};
use crate::arm::expr::eval::Evaluator;
use crate::arm::expr::value::Val;

/// `uniqueString(...)`: Azure's algorithm (a MurmurHash64 variant over the UTF-8 of the arguments
/// joined with `-`, as 13 base32 characters), checked against values Azure returned.
pub(super) fn unique_string(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, usize::MAX)?;
    let joined = a.strings()?.join("-");
    if joined.chars().count() > 131_072 {
        return Err(fail(format!(
            "`{}()` input is longer than 131072 characters",
            a.name
        )));
    }
    Ok(Val::String(base32_13(murmur_hash64(joined.as_bytes()))))
}

/// `guid(...)`: a name-based UUID (version 5, SHA-1) of the arguments joined with `-`, in ARM's
/// namespace `11fb06fb-712d-4ddd-98c7-e71bbd588830`.
pub(super) fn guid(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, usize::MAX)?;
    let joined = a.strings()?.join("-");
    Ok(Val::String(uuid_v5(&ARM_GUID_NAMESPACE, joined.as_bytes())))
}

pub(super) const ARM_GUID_NAMESPACE: [u8; 16] = [
    0x11, 0xfb, 0x06, 0xfb, 0x71, 0x2d, 0x4d, 0xdd, 0x98, 0xc7, 0xe7, 0x1b, 0xbd, 0x58, 0x88, 0x30,
];

pub(super) const BASE64_ALPHABET: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub(super) fn base64(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    let bytes = a.str(0)?.as_bytes();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let triple = (b(0) << 16) | (b(1) << 8) | b(2);
        for position in 0..4 {
            if position <= chunk.len() {
                let sextet = (triple >> (18 - 6 * position)) & 0x3f;
                out.push(char::from(
                    BASE64_ALPHABET
                        .get(sextet as usize)
                        .copied()
                        .unwrap_or(b'A'),
                ));
            } else {
                out.push('=');
            }
        }
    }
    string_result(out)
}

pub(super) fn base64_to_string(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    let invalid = || fail(format!("`{}()` argument is not valid base64", a.name));
    let mut bits: u32 = 0;
    let mut bit_count = 0;
    let mut bytes = Vec::new();
    for c in a
        .str(0)?
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
    {
        let sextet = BASE64_ALPHABET
            .iter()
            .position(|x| *x == c)
            .ok_or_else(invalid)?;
        bits = (bits << 6) | u32::try_from(sextet).map_err(|_| invalid())?;
        bit_count += 6;
        if bit_count >= 8 {
            bit_count -= 8;
            bytes.push(u8::try_from((bits >> bit_count) & 0xff).map_err(|_| invalid())?);
        }
    }
    String::from_utf8(bytes)
        .map(Val::String)
        .map_err(|_| fail(format!("`{}()` result is not UTF-8 text", a.name)))
}

/// The 64-bit MurmurHash variant Azure Resource Manager uses for `uniqueString()` (seed 0).
pub(super) fn murmur_hash64(data: &[u8]) -> u64 {
    const C3: u32 = 0x561c_cd1b;
    const C4: u32 = 0x0bca_a747;
    let mut h1: u32 = 0;
    let mut h2: u32 = 0;
    let mut blocks = data.chunks_exact(8);
    for block in &mut blocks {
        let (low, high) = block.split_at(4);
        h1 ^= mix_k1(le_u32(low));
        h1 = h1
            .rotate_left(19)
            .wrapping_add(h2)
            .wrapping_mul(5)
            .wrapping_add(C3);
        h2 ^= mix_k2(le_u32(high));
        h2 = h2
            .rotate_left(13)
            .wrapping_add(h1)
            .wrapping_mul(5)
            .wrapping_add(C4);
    }
    let tail = blocks.remainder();
    if !tail.is_empty() {
        let (low, high) = tail.split_at(tail.len().min(4));
        h1 ^= mix_k1(le_u32(low));
        if !high.is_empty() {
            h2 ^= mix_k2(le_u32(high));
        }
    }
    let length = data.len() as u32;
    h1 ^= length;
    h2 ^= length;
    h1 = h1.wrapping_add(h2);
    h2 = h2.wrapping_add(h1);
    h1 = final_mix(h1);
    h2 = final_mix(h2);
    h1 = h1.wrapping_add(h2);
    h2 = h2.wrapping_add(h1);
    (u64::from(h2) << 32) | u64::from(h1)
}

pub(super) const MURMUR_C1: u32 = 0x239b_961b;

pub(super) const MURMUR_C2: u32 = 0xab0e_9789;

pub(super) fn mix_k1(k: u32) -> u32 {
    k.wrapping_mul(MURMUR_C1)
        .rotate_left(15)
        .wrapping_mul(MURMUR_C2)
}

pub(super) fn mix_k2(k: u32) -> u32 {
    k.wrapping_mul(MURMUR_C2)
        .rotate_left(17)
        .wrapping_mul(MURMUR_C1)
}

pub(super) fn final_mix(mut h: u32) -> u32 {
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^ (h >> 16)
}

/// Up to four bytes, little-endian.
pub(super) fn le_u32(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .take(4)
        .rev()
        .fold(0, |acc, b| (acc << 8) | u32::from(*b))
}

/// The 13 characters of Azure's base32 rendering of a 64-bit hash (5 bits at a time, high first).
pub(super) fn base32_13(mut hash: u64) -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut out = String::with_capacity(13);
    for _ in 0..13 {
        let index = usize::try_from(hash >> 59).unwrap_or(0);
        out.push(char::from(ALPHABET.get(index).copied().unwrap_or(b'a')));
        hash <<= 5;
    }
    out
}

/// RFC 4122 name-based UUID, version 5.
pub(super) fn uuid_v5(namespace: &[u8; 16], name: &[u8]) -> String {
    let mut input = namespace.to_vec();
    input.extend_from_slice(name);
    let mut bytes: Vec<u8> = sha1(&input).into_iter().take(16).collect();
    if let Some(version) = bytes.get_mut(6) {
        *version = (*version & 0x0f) | 0x50;
    }
    if let Some(variant) = bytes.get_mut(8) {
        *variant = (*variant & 0x3f) | 0x80;
    }
    let mut out = String::with_capacity(36);
    for (i, byte) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        let _ = write!(out, "{byte:02x}");
    }
    out
}

/// SHA-1 (FIPS 180-4); only for `guid()`, where ARM uses it, not for security.
pub(super) fn sha1(data: &[u8]) -> Vec<u8> {
    let mut state: [u32; 5] = [
        0x6745_2301,
        0xefcd_ab89,
        0x98ba_dcfe,
        0x1032_5476,
        0xc3d2_e1f0,
    ];
    let bit_length = u64::try_from(data.len()).unwrap_or(0).wrapping_mul(8);
    let mut message = data.to_vec();
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&bit_length.to_be_bytes());
    for block in message.chunks_exact(64) {
        sha1_block(&mut state, block);
    }
    state.iter().flat_map(|word| word.to_be_bytes()).collect()
}

pub(super) fn sha1_block(state: &mut [u32; 5], block: &[u8]) {
    let mut schedule = [0u32; 80];
    for (word, bytes) in schedule.iter_mut().zip(block.chunks_exact(4)) {
        *word = bytes.iter().fold(0, |acc, b| (acc << 8) | u32::from(*b));
    }
    let at = |words: &[u32; 80], i: usize| words.get(i).copied().unwrap_or(0);
    for t in 16..80 {
        let word = (at(&schedule, t - 3)
            ^ at(&schedule, t - 8)
            ^ at(&schedule, t - 14)
            ^ at(&schedule, t - 16))
        .rotate_left(1);
        if let Some(slot) = schedule.get_mut(t) {
            *slot = word;
        }
    }
    let [mut a, mut b, mut c, mut d, mut e] = *state;
    for (t, word) in schedule.iter().enumerate() {
        let (f, k) = match t {
            0..=19 => ((b & c) | (!b & d), 0x5a82_7999),
            20..=39 => (b ^ c ^ d, 0x6ed9_eba1),
            40..=59 => ((b & c) | (b & d) | (c & d), 0x8f1b_bcdc),
            _ => (b ^ c ^ d, 0xca62_c1d6),
        };
        let temp = a
            .rotate_left(5)
            .wrapping_add(f)
            .wrapping_add(e)
            .wrapping_add(k)
            .wrapping_add(*word);
        e = d;
        d = c;
        c = b.rotate_left(30);
        b = a;
        a = temp;
    }
    for (slot, add) in state.iter_mut().zip([a, b, c, d, e]) {
        *slot = slot.wrapping_add(add);
    }
}

#[cfg(test)]
mod tests {
    use crate::arm::expr::test_support::*;

    use serde_json::json;

    #[test]
    fn unique_string_matches_azure() {
        // Values Azure returned, recorded in Kingsland.ArmLinter's ArmFunctions_UniqueString.cs.
        check(&[
            ("[uniqueString('aaa')]", json!("zavj67f3en4hc")),
            ("[uniqueString('bbb')]", json!("w5eragfxe33cy")),
            ("[uniqueString('zzz')]", json!("cryksdzzzawae")),
            (
                "[uniqueString('xxx', 'yyy', 'zzz')]",
                json!("lghi7k5js7itq"),
            ),
            (
                "[uniqueString('/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg')]",
                json!("dojm7b5lc3trm"),
            ),
        ]);
        assert!(error("[uniqueString(1)]").message.contains("a string"));
        assert_eq!(
            unknown("[uniqueString('a', parameters('adminEnabled'))]"),
            NO_ADMIN
        );
    }

    #[test]
    fn guid_is_a_version_5_uuid_in_the_arm_namespace() {
        // Python: uuid.uuid5(uuid.UUID('11fb06fb-712d-4ddd-98c7-e71bbd588830'), 'a-b')
        check(&[(
            "[guid('a', 'b')]",
            json!("2d796349-8c7e-55ec-9624-54ece82ed031"),
        )]);
        assert_eq!(unknown("[guid(parameters('adminEnabled'))]"), NO_ADMIN);
    }
}
