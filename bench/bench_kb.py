"""Benchmark the suggestion index: build time and per-query latency by KB size.

Run: ``.venv/bin/python bench/bench_kb.py`` (about a minute or two). Entries are synthetic
but shaped like the real ones: Indonesian public-service vocabulary, 2-3 questions and a
40-70 word answer each; queries are chat-style rewrites of a random entry's question
(words dropped, slang, typos, a greeting), so they hit the same code paths as citizens.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.knowledge.index import SuggestionIndex
from bot.knowledge.models import KbEntry

SIZES = (100, 1_000, 10_000, 100_000)
QUERIES = 400
SEED = 20190521


def _words(text: str) -> tuple[str, ...]:
    """Whitespace-separated words of a literal block (keeps long word lists readable)."""
    return tuple(text.split())


TOPICS = _words(
    """
    akta kelahiran kematian perkawinan perceraian ktp kartu keluarga domisili pindah
    sekolah siswa guru beasiswa puskesmas rumah sakit ambulans posyandu imunisasi bidan
    dokter pasien bpjs rujukan pajak retribusi restoran hotel reklame izin usaha umkm
    koperasi pasar pedagang nelayan petani pupuk irigasi bendungan jalan jembatan lampu
    drainase banjir longsor kebakaran sampah air bersih pdam listrik internet wifi
    menara pensiun pangkat gaji tunjangan cuti honorer pppk cpns bansos sembako lansia
    disabilitas yatim rumah renovasi sertifikat tanah halal produk pelatihan kerja
    lowongan transmigrasi wisata pantai budaya festival olahraga stadion perpustakaan
    arsip informasi publik keberatan hoaks pengaduan akun media sosial parkir terminal
    angkutan kapal pelabuhan bandara masjid makam ternak
    """
)
VERBS = _words(
    """
    mengurus membuat mendaftar melapor mengajukan memperpanjang mengganti membayar
    meminta mendapatkan memperbaiki memindahkan mencetak mengambil menyewa memeriksa
    menghubungi
    """
)
FILLERS = _words(
    """
    bagaimana cara syarat apa saja berapa biaya kapan jadwal dimana kantor dinas
    kabupaten bone desa kecamatan warga masyarakat layanan dokumen berkas formulir hari
    kerja gratis online aplikasi petugas loket nomor antrean bulan tahun baru lama
    hilang rusak
    """
)
SLANG = {
    "bagaimana": "gmn",
    "yang": "yg",
    "tidak": "gak",
    "sudah": "udah",
    "berapa": "brp",
    "untuk": "utk",
    "dimana": "dmn",
    "membuat": "bikin",
}
GREETINGS = ("", "", "tabe ", "selamat pagi min, ", "assalamualaikum pak ", "permisi bu ")


def synthetic_entries(count: int, rng: random.Random) -> list[KbEntry]:
    entries: list[KbEntry] = []
    for number in range(count):
        topic = rng.sample(TOPICS, 3)
        questions = tuple(
            f"{rng.choice(['Bagaimana cara', 'Apa syarat', 'Di mana'])} {rng.choice(VERBS)} "
            f"{' '.join(rng.sample(topic, 2))} {' '.join(rng.sample(FILLERS, 4))}?"
            for _ in range(rng.randint(2, 3))
        )
        answer_words = [rng.choice(TOPICS + FILLERS + VERBS) for _ in range(rng.randint(40, 70))]
        entries.append(
            KbEntry(
                id=f"{topic[0]}-{topic[1]}-{number}",
                questions=questions,
                answer=" ".join(answer_words).capitalize() + ".",
                tags=(topic[0],),
            )
        )
    return entries


def chat_query(entry: KbEntry, rng: random.Random, serial: int) -> str:
    words = rng.choice(entry.questions).rstrip("?").lower().split()
    words = [SLANG.get(word, word) for word in words if rng.random() > 0.25]
    if words and rng.random() < 0.4:
        position = rng.randrange(len(words))
        word = words[position]
        if len(word) > 4:
            cut = rng.randrange(1, len(word) - 1)
            words[position] = word[:cut] + word[cut + 1 :]
    # The serial keeps every query distinct so no cache answers for the engine.
    return f"{rng.choice(GREETINGS)}{' '.join(words)} {serial}?"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bench(size: int, rng: random.Random) -> tuple[float, float, float, float, float]:
    entries = synthetic_entries(size, rng)
    started = time.perf_counter()
    index = SuggestionIndex.build(entries)
    build_seconds = time.perf_counter() - started
    queries = [chat_query(rng.choice(entries), rng, n) for n in range(QUERIES)]
    for query in queries[:20]:
        index.suggest(f"pemanasan {query}")
    latencies: list[float] = []
    cpu: list[float] = []
    for query in queries:
        began, began_cpu = time.perf_counter_ns(), time.thread_time_ns()
        index.suggest(query, top=3)
        cpu.append((time.thread_time_ns() - began_cpu) / 1e6)
        latencies.append((time.perf_counter_ns() - began) / 1e6)
    return (
        build_seconds,
        statistics.median(latencies),
        percentile(latencies, 0.99),
        statistics.median(cpu),
        percentile(cpu, 0.99),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    args = parser.parse_args(argv)
    rng = random.Random(SEED)
    print(f"{QUERIES} distinct chat-style queries per size; latency of index.suggest(top=3)")
    print("wall = elapsed time; cpu = this thread's CPU time (immune to a busy machine)")
    print(
        f"{'entries':>8} {'build s':>8} {'wall p50':>9} {'wall p99':>9} "
        f"{'cpu p50':>8} {'cpu p99':>8}  (ms)"
    )
    for size in args.sizes:
        build_seconds, median, p99, cpu_median, cpu_p99 = bench(size, rng)
        print(
            f"{size:>8} {build_seconds:>8.2f} {median:>9.3f} {p99:>9.3f} "
            f"{cpu_median:>8.3f} {cpu_p99:>8.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
