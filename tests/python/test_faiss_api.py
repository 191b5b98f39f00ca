"""vqsearch.faiss call by call: FAISS's result conventions, its names, and the clear
NotImplementedError for what does not map. References are brute force in numpy."""

import pickle

import numpy as np
import pytest

import vqsearch
import vqsearch.faiss as faiss

D_DIM = 16
FLT_MAX = np.finfo(np.float32).max


@pytest.fixture(scope="module")
def data():
    rs = np.random.RandomState(5)
    return rs.rand(2000, D_DIM).astype("float32"), rs.rand(20, D_DIM).astype("float32")


def brute(xb, xq, k, ip=False):
    scores = xq.astype(np.float64) @ xb.astype(np.float64).T
    if not ip:
        scores = (xq.astype(np.float64) ** 2).sum(1)[:, None] - 2 * scores + \
            (xb.astype(np.float64) ** 2).sum(1)[None, :]
    order = np.argsort(-scores if ip else scores, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(scores, order, 1), order


@pytest.mark.parametrize("ip", [False, True])
def test_flat_distances_are_faiss_conventions(data, ip):
    xb, xq = data
    index = faiss.IndexFlatIP(D_DIM) if ip else faiss.IndexFlatL2(D_DIM)
    assert index.metric_type == (faiss.METRIC_INNER_PRODUCT if ip else faiss.METRIC_L2)
    index.add(xb)
    D, I = index.search(xq, 5)
    D_ref, I_ref = brute(xb, xq, 5, ip)
    assert D.dtype == np.float32 and I.dtype == np.int64
    assert np.array_equal(I, I_ref)
    np.testing.assert_allclose(D, D_ref, rtol=1e-5, atol=1e-4)  # squared L2, or similarity


@pytest.mark.parametrize("ip", [False, True])
def test_missing_results_are_minus_one_and_flt_max(ip):
    index = faiss.IndexFlat(4, faiss.METRIC_INNER_PRODUCT if ip else faiss.METRIC_L2)
    pad = -FLT_MAX if ip else FLT_MAX
    D, I = index.search(np.ones((2, 4), "float32"), 3)  # empty index: FAISS pads, no error
    assert (I == -1).all() and (D == pad).all()
    index.add(np.eye(4, dtype="float32")[:2])
    D, I = index.search(np.ones((1, 4), "float32"), 3)
    assert (I[0, :2] >= 0).all() and I[0, 2] == -1 and D[0, 2] == pad


def test_empty_batches_and_empty_indexes_are_no_errors():
    index = faiss.IndexFlatL2(4)
    index.add(np.empty((0, 4), "float32"))
    index.add_with_ids(np.empty((0, 4), "float32"), np.empty(0, "int64"))
    assert index.ntotal == 0
    lims, D, I = index.range_search(np.ones((2, 4), "float32"), 1.0)
    assert list(lims) == [0, 0, 0] and len(D) == len(I) == 0
    lims, D, I = index.range_search(np.empty((0, 4), "float32"), 1.0)
    assert list(lims) == [0] and D.dtype == np.float32 and I.dtype == np.int64


def test_search_fills_given_arrays(data):
    xb, xq = data
    index = faiss.IndexFlatL2(D_DIM)
    index.add(xb)
    D, I = np.empty((len(xq), 3), "float32"), np.empty((len(xq), 3), "int64")
    D2, I2 = index.search(xq, 3, D=D, I=I)
    assert D2 is D and I2 is I and np.array_equal(I, brute(xb, xq, 3)[1])


def test_ids_follow_faiss_numbering_and_add_with_ids(data):
    xb, xq = data
    index = faiss.index_factory(D_DIM, "IDMap,Flat")
    index.add_with_ids(xb[:1000], np.arange(1000) * 10 + 7)
    _, I = index.search(xq, 4)
    assert np.array_equal(I, brute(xb[:1000], xq, 4)[1] * 10 + 7)
    ivf = faiss.IndexIVFFlat(faiss.IndexFlatL2(D_DIM), D_DIM, 8)
    ivf.train(xb)
    ivf.add(xb[:500])
    ivf.add(xb[500:])  # FAISS numbers by ntotal: the second batch starts at 500
    ivf.nprobe = 8
    _, I = ivf.search(xq, 4)
    assert np.array_equal(I, brute(xb, xq, 4)[1])


def test_nprobe_attribute_parameter_space_and_search_parameters(data):
    xb, xq = data
    index = faiss.index_factory(D_DIM, "IVF32,Flat")
    assert isinstance(index, faiss.IndexIVFFlat) and index.nlist == 32
    assert index.nprobe == 1  # FAISS's default
    index.train(xb)
    index.add(xb)
    exact = brute(xb, xq, 5)[1]
    faiss.ParameterSpace().set_index_parameter(index, "nprobe", 32)
    assert index.nprobe == 32 and np.array_equal(index.search(xq, 5)[1], exact)
    index.nprobe = 1
    narrow = index.search(xq, 5)[1]
    assert np.array_equal(index.search(xq, 5, params=faiss.SearchParametersIVF(nprobe=32))[1], exact)
    assert np.array_equal(index.search(xq, 5)[1], narrow)  # params last one call only
    assert faiss.extract_index_ivf(index) is index
    with pytest.raises(NotImplementedError, match="efSearch"):
        faiss.ParameterSpace().set_index_parameter(index, "efSearch", 16)
    with pytest.raises(ValueError, match="nprobe"):
        faiss.ParameterSpace().set_index_parameter(faiss.IndexFlatL2(4), "nprobe", 4)


def test_range_search_matches_brute_force_for_both_metrics(data):
    xb, xq = data
    for ip, radius in ((False, 0.45), (True, 5.0)):
        index = faiss.IndexFlatIP(D_DIM) if ip else faiss.IndexFlatL2(D_DIM)
        index.add(xb)
        lims, D, I = index.range_search(xq, radius)
        scores, order = brute(xb, xq, len(xb), ip)
        for q in range(len(xq)):
            inside = scores[q] > radius if ip else scores[q] < radius
            assert set(I[lims[q]:lims[q + 1]]) == set(order[q][inside])
        assert lims[-1] == len(I) == len(D)


def test_range_search_grows_past_the_first_k():
    # Every vector is inside the radius: the search must grow k until it has them all.
    x = np.random.RandomState(1).rand(700, 4).astype("float32")
    index = faiss.IndexFlatL2(4)
    index.add(x)
    lims, _, I = index.range_search(x[:2], 100.0)
    assert list(lims) == [0, 700, 1400] and set(I[:700]) == set(range(700))


def test_remove_ids_reset_and_reconstruct(data):
    xb, _ = data
    index = faiss.IndexFlatL2(D_DIM)
    index.add(xb)
    assert index.remove_ids(faiss.IDSelectorRange(10, 20)) == 10
    assert index.remove_ids(faiss.IDSelectorBatch(np.array([0, 5, 10]))) == 2
    assert index.remove_ids(faiss.IDSelectorBatch(3, faiss.swig_ptr(np.array([1, 2, 3, 4])))) == 3
    assert index.ntotal == len(xb) - 15
    assert np.array_equal(index.reconstruct(1999), xb[1999])
    assert np.array_equal(index.reconstruct_n(30, 5), xb[30:35])
    index.reset()
    assert index.ntotal == 0
    index.add(xb[:3])
    assert np.array_equal(index.search(xb[:3], 1)[1].ravel(), [0, 1, 2])  # numbered from 0 again
    pq = faiss.IndexPQ(D_DIM, 4, 8)
    pq.train(xb)
    pq.add(xb)
    # PQ codes decode to an approximation: near each vector, far from the others.
    decoded = pq.reconstruct_n(0, 100)
    errors = np.square(decoded - xb[:100]).sum(axis=1)
    assert errors.mean() < 0.5 * np.square(xb[:100]).sum(axis=1).mean()
    assert errors.mean() < 0.5 * np.square(decoded - xb[100:200]).sum(axis=1).mean()


def test_serialization_and_pickle_keep_answers(data, tmp_path):
    xb, xq = data
    index = faiss.index_factory(D_DIM, "IVF16,PQ4", faiss.METRIC_INNER_PRODUCT)
    assert isinstance(index, faiss.IndexIVFPQ)
    index.train(xb)
    index.add(xb)
    index.nprobe = 4
    expected = index.search(xq, 5)
    buf = faiss.serialize_index(index)
    assert buf.dtype == np.uint8
    for copy in (faiss.deserialize_index(buf), pickle.loads(pickle.dumps(index))):
        copy.nprobe = 4
        assert type(copy) is faiss.IndexIVFPQ and copy.metric_type == faiss.METRIC_INNER_PRODUCT
        assert np.array_equal(copy.search(xq, 5)[1], expected[1])
    faiss.write_index(index, str(tmp_path / "a.index"))
    loaded = faiss.read_index(str(tmp_path / "a.index"))
    loaded.nprobe = 4
    assert np.array_equal(loaded.search(xq, 5)[1], expected[1])


def test_constructors_map_to_specs():
    q = faiss.IndexFlatL2(D_DIM)
    cases = [
        (faiss.IndexIVFPQ(q, D_DIM, 8, 4, 8), "IVF8,PQ4"),
        (faiss.IndexIVFPQ(q, D_DIM, 8, 8, 4), "IVF8,PQ8x4fs"),
        (faiss.IndexIVFPQFastScan(q, D_DIM, 8, 8), "IVF8,PQ8x4fs"),
        (faiss.IndexIVFScalarQuantizer(q, D_DIM, 8, faiss.ScalarQuantizer.QT_8bit), "IVF8,SQ8"),
        (faiss.IndexScalarQuantizer(D_DIM, faiss.ScalarQuantizer.QT_fp16), "SQfp16"),
        (faiss.IndexRefineFlat(faiss.IndexIVFPQ(q, D_DIM, 8, 4, 8)), "IVF8,PQ4,Refine(Flat)"),
        (faiss.index_factory(D_DIM, "OPQ4_16,IVF8,PQ4np"), "OPQ4,IVF8,PQ4"),
        (faiss.index_factory(D_DIM, "IVF8,PQ8x4fs,RFlat"), "IVF8,PQ8x4fs,Refine(Flat)"),
        (faiss.IndexIVFRaBitQ(q, D_DIM, 8), "IVF8,RaBitQ1"),
        (faiss.IndexIVFRaBitQ(q, D_DIM, 8, faiss.METRIC_L2, True, 4), "IVF8,RaBitQ4"),
        (faiss.IndexIVFRaBitQFastScan(q, D_DIM, 8, nb_bits=2), "IVF8,RaBitQ2fs"),
        (faiss.IndexRaBitQ(D_DIM, faiss.METRIC_L2, 7), "RaBitQ7"),
        (faiss.IndexRaBitQFastScan(D_DIM), "RaBitQ1fs"),
        (faiss.index_factory(D_DIM, "IVF8,RaBitQ"), "IVF8,RaBitQ1"),
        (faiss.index_factory(D_DIM, "IVF8,RaBitQ5,RFlat"), "IVF8,RaBitQ5,Refine(Flat)"),
        (faiss.index_factory(D_DIM, "IVF8,RaBitQfs4"), "IVF8,RaBitQ4fs"),
        (faiss.index_factory(D_DIM, "RaBitQfs_32"), "RaBitQ1fs"),
    ]
    for index, spec in cases:
        assert vqsearch.Index(spec, D_DIM).spec == index.vqsearch_index.spec
    assert isinstance(faiss.index_factory(D_DIM, "IVF8,RaBitQfs4"), faiss.IndexIVFRaBitQFastScan)
    assert isinstance(faiss.index_factory(D_DIM, "RaBitQ2"), faiss.IndexRaBitQ)


def test_ivf_rabitq_reconstructs_and_searches_as_in_faiss_scripts(data):
    xb, xq = data
    index = faiss.index_factory(D_DIM, "IVF8,RaBitQ8")
    index.train(xb)
    index.add(xb)
    index.nprobe = 8
    D, I = index.search(xq, 5)
    D_ref, I_ref = brute(xb, xq, 5)
    assert (I[:, 0] == I_ref[:, 0]).mean() > 0.9
    decoded = index.reconstruct_n(0, 10)
    assert np.linalg.norm(decoded - xb[:10]) < 0.05 * np.linalg.norm(xb[:10])


def test_kmeans_is_faiss_shaped(data):
    xb, _ = data
    km = faiss.Kmeans(D_DIM, 8, niter=7, seed=3)
    objective = km.train(xb)
    assert km.centroids.shape == (8, D_DIM) and km.centroids.dtype == np.float32
    assert len(km.obj) == 7 and objective == pytest.approx(km.obj[-1])
    D, I = km.assign(xb)
    D_ref, I_ref = brute(km.centroids, xb, 1)
    assert (I == I_ref.ravel()).mean() > 0.999 and D.shape == (len(xb),)
    assert isinstance(km.index, faiss.IndexFlatL2) and km.index.ntotal == 8


def test_normalize_l2_is_in_place_and_refuses_copies():
    x = np.array([[3, 4], [0, 0]], dtype="float32")
    faiss.normalize_L2(x)
    np.testing.assert_allclose(x, [[0.6, 0.8], [0, 0]])
    for bad in (np.ones((2, 2)), np.ones((2, 4), "float32")[:, ::2], [[1.0, 2.0]]):
        with pytest.raises(TypeError, match="in place"):
            faiss.normalize_L2(bad)


def test_threads_go_to_vqsearch():
    before = vqsearch.get_num_threads()
    try:
        faiss.omp_set_num_threads(1)
        assert faiss.omp_get_max_threads() == 1
    finally:
        vqsearch.set_num_threads(0)
    assert vqsearch.get_num_threads() == before


@pytest.mark.parametrize("make, feature", [
    (lambda: faiss.index_factory(8, "HNSW32"), "HNSW"),
    (lambda: faiss.index_factory(8, "PCA4,Flat"), "PCA"),
    (lambda: faiss.index_factory(8, "IVF4_HNSW32,Flat"), "coarse quantizer"),
    (lambda: faiss.index_factory(8, "OPQ4_4,IVF4,PQ4"), "OPQ"),
    (lambda: faiss.index_factory(8, "SQ6"), "SQ6"),
    (lambda: faiss.index_factory(8, "IVF4,RaBitQ9"), "nb_bits=9"),
    (lambda: faiss.index_factory(8, "IVF4,RaBitQfs_64"), "bbs=64"),
    (lambda: faiss.IndexIVFRaBitQ(faiss.IndexFlatL2(8), 8, 4, faiss.METRIC_L2, False),
     "own_invlists=False"),
    (lambda: faiss.IndexFlat(8, faiss.METRIC_L1), "METRIC_L1"),
    (lambda: faiss.IndexHNSWFlat(8, 32), "IndexHNSWFlat"),
    (lambda: faiss.IndexIVFPQ(faiss.IndexFlatL2(8), 8, 4, 2, 6), "nbits=6"),
    (lambda: faiss.IndexFlatL2(8).make_direct_map(), "make_direct_map"),
    (lambda: faiss.SearchParametersIVF(max_codes=100), "max_codes"),
    (lambda: faiss.Kmeans(8, 2, gpu=True), "gpu"),
    (lambda: faiss.read_index("x", faiss.IO_FLAG_MMAP), "IO_FLAG_MMAP"),
])
def test_unmapped_features_raise_not_implemented_naming_them(make, feature):
    with pytest.raises(NotImplementedError, match=feature):
        make()


def test_missing_names_are_missing_for_hasattr():
    assert not hasattr(faiss, "IndexHNSWFlat")
    assert not hasattr(faiss.IndexFlatL2(4), "nprobe")
    assert hasattr(faiss.index_factory(4, "IVF2,Flat"), "nprobe")
