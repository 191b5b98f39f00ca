// Reads and writes ann-benchmarks HDF5 files (vqsearch/dataset.h) with the HDF5 C library.
//
// Layout: float32 datasets `train` (n x d) and `test` (nq x d), int32 `neighbors` and
// float32 `distances` (nq x k), and a string attribute `distance` on the root group.
// Reading is tolerant of the variants found in the wild (float64 vectors, int64 ids, no
// ground truth); anything else that does not fit the layout is an error naming the file
// and the dataset.

#include <hdf5.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <functional>
#include <mutex>
#include <new>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "io/file_path.h"
#include "io/posix_io.h"
#include "util/status_macros.h"
#include "vqsearch/dataset.h"

namespace vqsearch {
namespace {

// Debian's HDF5 is the serial build, which is not thread-safe, and its error-reporting
// switch is process-wide: every use of the library from this file holds this lock.
std::mutex& Hdf5Mutex() {
  static std::mutex* mutex = new std::mutex;
  return *mutex;
}

// While alive, keeps HDF5 from printing its error stack to stderr (failures become
// absl statuses instead). The previous handler comes back afterwards so that other HDF5
// users in the process, such as h5py, keep their own.
class ScopedHdf5Silence {
 public:
  ScopedHdf5Silence() {
    H5Eget_auto2(H5E_DEFAULT, &old_func_, &old_data_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  ~ScopedHdf5Silence() { H5Eset_auto2(H5E_DEFAULT, old_func_, old_data_); }
  ScopedHdf5Silence(const ScopedHdf5Silence&) = delete;
  ScopedHdf5Silence& operator=(const ScopedHdf5Silence&) = delete;

 private:
  H5E_auto2_t old_func_ = nullptr;
  void* old_data_ = nullptr;
};

// Owns one HDF5 identifier and releases it with the matching H5?close function, so that
// every early return closes what was opened.
class Hdf5Handle {
 public:
  using Closer = herr_t (*)(hid_t);

  Hdf5Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  Hdf5Handle(Hdf5Handle&& other) noexcept
      : id_(std::exchange(other.id_, H5I_INVALID_HID)), closer_(other.closer_) {}
  Hdf5Handle& operator=(Hdf5Handle&& other) noexcept {
    if (this != &other) {
      Close();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
      closer_ = other.closer_;
    }
    return *this;
  }
  Hdf5Handle(const Hdf5Handle&) = delete;
  Hdf5Handle& operator=(const Hdf5Handle&) = delete;
  ~Hdf5Handle() { Close(); }

  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }

  // Closes now. For a file this flushes it, which can fail: the writer must know.
  bool Close() {
    if (id_ < 0) return true;
    const herr_t result = closer_(id_);
    id_ = H5I_INVALID_HID;
    return result >= 0;
  }

 private:
  hid_t id_;
  Closer closer_;
};

// The most specific message on HDF5's error stack (for a missing permission, the line
// with the errno text), then clears the stack for the next call.
std::string TakeHdf5ErrorDetail() {
  std::string detail;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_UPWARD,
      [](unsigned n, const H5E_error2_t* error, void* data) -> herr_t {
        if (n == 0 && error->desc != nullptr) *static_cast<std::string*>(data) = error->desc;
        return 0;
      },
      &detail);
  H5Eclear2(H5E_DEFAULT);
  return detail;
}

// A failed HDF5 call while reading `path`: the file is damaged or unreadable.
absl::Status ReadFailure(const std::string& path, absl::string_view what) {
  const std::string detail = TakeHdf5ErrorDetail();
  return absl::DataLossError(
      absl::StrCat("HDF5 could not ", what, " in ", path, detail.empty() ? "" : ": ", detail));
}

// A failed HDF5 call while writing `path` (disk full, no permission, ...).
absl::Status WriteFailure(const std::string& path, absl::string_view what) {
  const std::string detail = TakeHdf5ErrorDetail();
  return absl::InternalError(
      absl::StrCat("HDF5 could not ", what, " in ", path, detail.empty() ? "" : ": ", detail));
}

// An opened two-dimensional dataset and its shape.
struct Matrix2d {
  Hdf5Handle dataset{H5I_INVALID_HID, H5Dclose};
  hsize_t rows = 0;
  hsize_t cols = 0;
  H5T_class_t type_class = H5T_NO_CLASS;
};

// A dataset larger than this many values is refused (1 TiB of floats): no benchmark is
// near it, and a damaged header must not make the reader try.
constexpr hsize_t kMaxElements = hsize_t{1} << 38;
// Compression filters (deflate tops out near 1000:1) are the only way a dataset holds
// more values than its stored bytes.
constexpr hsize_t kMaxCompressionRatio = 1024;

// Checks the declared shape of `matrix` (of element type `type`) against the bytes the
// file actually stores for it, before anything of that size is allocated.
absl::Status CheckShapeAgainstStorage(const Matrix2d& matrix, hid_t type, const std::string& path,
                                      const char* name) {
  const size_t element_size = H5Tget_size(type);
  if (element_size == 0) return ReadFailure(path, absl::StrCat("read the type of `", name, "`"));
  const hsize_t values = matrix.rows * matrix.cols;
  if (values == 0) return absl::OkStatus();
  Hdf5Handle plist(H5Dget_create_plist(matrix.dataset.get()), H5Pclose);
  if (!plist.valid()) return ReadFailure(path, absl::StrCat("read the layout of `", name, "`"));
  const int filters = H5Pget_nfilters(plist.get());
  if (filters < 0) return ReadFailure(path, absl::StrCat("read the filters of `", name, "`"));
  const hsize_t stored = H5Dget_storage_size(matrix.dataset.get());
  const hsize_t ratio = filters > 0 ? kMaxCompressionRatio : 1;
  if (values > kMaxElements || values / ratio > stored / element_size) {
    return absl::InvalidArgumentError(absl::StrCat(
        "dataset `", name, "` in ", path, " declares ", matrix.rows, " x ", matrix.cols,
        " values of ", element_size, " bytes but the file stores ", stored,
        " bytes for it: the shape is damaged"));
  }
  return absl::OkStatus();
}

// Opens dataset `name` of the file and checks that it is a matrix of numbers whose
// declared size the file holds.
absl::StatusOr<Matrix2d> OpenMatrix(hid_t file, const std::string& path, const char* name) {
  Matrix2d matrix;
  matrix.dataset = Hdf5Handle(H5Dopen2(file, name, H5P_DEFAULT), H5Dclose);
  if (!matrix.dataset.valid()) {
    return ReadFailure(path, absl::StrCat("open dataset `", name, "`"));
  }
  Hdf5Handle space(H5Dget_space(matrix.dataset.get()), H5Sclose);
  if (!space.valid()) return ReadFailure(path, absl::StrCat("read the shape of `", name, "`"));
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank != 2) {
    return absl::InvalidArgumentError(absl::StrCat("dataset `", name, "` in ", path, " has rank ",
                                                   rank, "; expected 2 (rows x columns)"));
  }
  hsize_t dims[2] = {0, 0};
  if (H5Sget_simple_extent_dims(space.get(), dims, nullptr) < 0) {
    return ReadFailure(path, absl::StrCat("read the shape of `", name, "`"));
  }
  matrix.rows = dims[0];
  matrix.cols = dims[1];
  // Columns become an int (dim, gt_k) and rows x columns a vector size: refuse shapes a
  // corrupted header could declare before trying to allocate them.
  if (matrix.cols > static_cast<hsize_t>(std::numeric_limits<int>::max()) ||
      (matrix.rows > 0 && matrix.cols > kMaxElements / matrix.rows)) {
    return absl::InvalidArgumentError(absl::StrCat("dataset `", name, "` in ", path,
                                                   " has an impossible shape ", matrix.rows,
                                                   " x ", matrix.cols));
  }
  Hdf5Handle type(H5Dget_type(matrix.dataset.get()), H5Tclose);
  if (!type.valid()) return ReadFailure(path, absl::StrCat("read the type of `", name, "`"));
  matrix.type_class = H5Tget_class(type.get());
  if (matrix.type_class != H5T_FLOAT && matrix.type_class != H5T_INTEGER) {
    return absl::InvalidArgumentError(
        absl::StrCat("dataset `", name, "` in ", path, " does not hold numbers"));
  }
  VQS_RETURN_IF_ERROR(CheckShapeAgainstStorage(matrix, type.get(), path, name));
  return matrix;
}

// Reads the whole matrix converted by HDF5 to `memory_type` (for example float64 stored
// values into float32).
template <typename T>
absl::Status ReadMatrix(const Matrix2d& matrix, hid_t memory_type, const std::string& path,
                        const char* name, std::vector<T>* values) {
  values->assign(static_cast<size_t>(matrix.rows * matrix.cols), T{});
  if (values->empty()) return absl::OkStatus();
  if (H5Dread(matrix.dataset.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values->data()) <
      0) {
    return ReadFailure(path, absl::StrCat("read dataset `", name, "`"));
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> HasLink(hid_t file, const std::string& path, const char* name) {
  const htri_t exists = H5Lexists(file, name, H5P_DEFAULT);
  if (exists < 0) return ReadFailure(path, absl::StrCat("look up `", name, "`"));
  return exists > 0;
}

// The `distance` attribute is a short name ("euclidean", "angular", ...).
constexpr size_t kMaxAttributeBytes = 4096;
// A metadata probe's reply: the attribute or an error message.
constexpr size_t kMaxReplyBytes = 65536;
// CPU seconds a metadata probe may take; reading the metadata of a real file takes
// milliseconds. Kept short because the limit counts CPU time, not wall time: on a loaded
// machine a probe stuck in a loop gets a fraction of a core, and 5 CPU-seconds took more
// than the fuzzer's 20 s timeout.
constexpr rlim_t kProbeCpuSeconds = 1;

// Runs `probe` in a child process and returns its result. libhdf5 (1.10) parses a
// file's metadata trusting what it says: on damaged files it crashes (it trusts the
// global-heap index of a variable-length string: SEGV or an overlapping memcpy in
// H5HG_read, with no public call that returns the stored bytes unconverted) or leaks
// a half-opened file it then cannot close. A probe of the metadata in a child confines
// both; the parent opens the file only once the probe succeeded. The child calls only
// libhdf5 (whose lock the caller holds), write and _exit, and dies of a crash by the
// default action (no handler of the parent's, such as Python's faulthandler, runs).
// The child's exit status when it could not write its reply to the parent.
constexpr int kReplyFailed = 3;

absl::StatusOr<std::string> RunInChild(absl::FunctionRef<absl::StatusOr<std::string>()> probe,
                                       const std::string& path) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return absl::InternalError(absl::StrCat("cannot create a pipe: ", std::strerror(errno)));
  }
  const pid_t child = fork();
  if (child < 0) {
    const int fork_errno = errno;
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    return absl::InternalError(absl::StrCat("cannot fork: ", std::strerror(fork_errno)));
  }
  if (child == 0) {
    for (int signal_number : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGXCPU}) {
      signal(signal_number, SIG_DFL);
    }
    // Some damaged files send libhdf5 into an endless loop: the kernel ends the probe
    // (SIGXCPU, then SIGKILL) instead of letting it hang the caller.
    const rlimit cpu_limit = {kProbeCpuSeconds, kProbeCpuSeconds + 1};
    setrlimit(RLIMIT_CPU, &cpu_limit);
    close(pipe_fds[0]);
    const absl::StatusOr<std::string> result = probe();
    // A status code byte, then the value or the message.
    const std::string reply =
        (static_cast<char>(result.status().code()) +
         (result.ok() ? *result : std::string(result.status().message())))
            .substr(0, kMaxReplyBytes);
    _exit(internal::WriteAll(pipe_fds[1], reply) ? 0 : kReplyFailed);
  }
  close(pipe_fds[1]);
  std::string reply(kMaxReplyBytes, '\0');
  const int64_t got = internal::ReadUpTo(pipe_fds[0], reply.data(), reply.size());
  close(pipe_fds[0]);
  reply.resize(got > 0 ? static_cast<size_t>(got) : 0);
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGXCPU || WTERMSIG(status) == SIGKILL)) {
    return absl::DataLossError(absl::StrCat(path, " is damaged: HDF5 spent more than ",
                                            kProbeCpuSeconds,
                                            " s of CPU reading its metadata and was stopped"));
  }
  if (WIFSIGNALED(status)) {
    return absl::DataLossError(absl::StrCat(path, " is damaged: HDF5 crashed (signal ",
                                            WTERMSIG(status), ") reading its metadata"));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != kReplyFailed &&
      reply.empty()) {
    // A runtime that turns faults into an exit status (a sanitizer, libhdf5's own exit)
    // ended the child before it replied: the file made HDF5 fail, as a crash does.
    return absl::DataLossError(absl::StrCat(path, " is damaged: HDF5 crashed (exit status ",
                                            WEXITSTATUS(status), ") reading its metadata"));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || reply.empty()) {
    return absl::InternalError(absl::StrCat("the HDF5 metadata probe of ", path, " failed"));
  }
  const auto code = static_cast<absl::StatusCode>(reply[0]);
  if (code == absl::StatusCode::kOk) return reply.substr(1);
  return absl::Status(code, reply.substr(1));
}

// The `distance` attribute, stored by h5py as a variable-length string and by some
// older writers as a fixed-length one.
absl::StatusOr<std::string> ReadDistanceAttribute(hid_t file, const std::string& path) {
  const htri_t exists = H5Aexists(file, "distance");
  if (exists < 0) return ReadFailure(path, "look up the attribute `distance`");
  if (exists == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " has no `distance` attribute (\"euclidean\", \"angular\", ...)"));
  }
  Hdf5Handle attribute(H5Aopen(file, "distance", H5P_DEFAULT), H5Aclose);
  if (!attribute.valid()) return ReadFailure(path, "open the attribute `distance`");
  Hdf5Handle type(H5Aget_type(attribute.get()), H5Tclose);
  if (!type.valid()) return ReadFailure(path, "read the type of the attribute `distance`");
  Hdf5Handle space(H5Aget_space(attribute.get()), H5Sclose);
  if (!space.valid()) return ReadFailure(path, "read the shape of the attribute `distance`");
  if (H5Tget_class(type.get()) != H5T_STRING ||
      H5Sget_simple_extent_npoints(space.get()) != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("the attribute `distance` of ", path, " is not a single string"));
  }

  const htri_t variable = H5Tis_variable_str(type.get());
  if (variable < 0) return ReadFailure(path, "read the type of the attribute `distance`");
  if (variable > 0) {
    Hdf5Handle memory_type(H5Tcopy(H5T_C_S1), H5Tclose);
    if (!memory_type.valid() || H5Tset_size(memory_type.get(), H5T_VARIABLE) < 0 ||
        H5Tset_cset(memory_type.get(), H5Tget_cset(type.get())) < 0) {
      return ReadFailure(path, "prepare to read the attribute `distance`");
    }
    char* value = nullptr;
    if (H5Aread(attribute.get(), memory_type.get(), &value) < 0) {
      return ReadFailure(path, "read the attribute `distance`");
    }
    std::string result = value != nullptr ? value : "";
    H5free_memory(value);
    if (result.size() > kMaxAttributeBytes) {
      return absl::InvalidArgumentError(absl::StrCat("the attribute `distance` of ", path,
                                                     " is longer than ", kMaxAttributeBytes,
                                                     " bytes"));
    }
    return result;
  }

  // Fixed length: the stored type describes the memory layout as well; padding is NUL
  // or space depending on the writer. Its size comes from the file: it is bounded
  // before it is allocated.
  const size_t size = H5Tget_size(type.get());
  if (size == 0) return ReadFailure(path, "read the type of the attribute `distance`");
  if (size > kMaxAttributeBytes || size > H5Aget_storage_size(attribute.get())) {
    return absl::InvalidArgumentError(absl::StrCat("the attribute `distance` of ", path,
                                                   " declares ", size,
                                                   " bytes, more than it stores or a name needs"));
  }
  std::string result(size, '\0');
  if (H5Aread(attribute.get(), type.get(), result.data()) < 0) {
    return ReadFailure(path, "read the attribute `distance`");
  }
  result.resize(std::strlen(result.c_str()));
  while (!result.empty() && result.back() == ' ') result.pop_back();
  return result;
}

// Reads `neighbors` and `distances` into the dataset, whose train and test are loaded.
absl::Status ReadGroundTruth(hid_t file, const std::string& path, AnnDataset* dataset) {
  VQS_ASSIGN_OR_RETURN(const bool has_neighbors, HasLink(file, path, "neighbors"));
  VQS_ASSIGN_OR_RETURN(const bool has_distances, HasLink(file, path, "distances"));
  if (!has_neighbors && !has_distances) return absl::OkStatus();
  if (has_neighbors != has_distances) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, " has `", has_neighbors ? "neighbors" : "distances", "` but not `",
        has_neighbors ? "distances" : "neighbors", "`; ground truth needs both"));
  }

  VQS_ASSIGN_OR_RETURN(Matrix2d neighbors, OpenMatrix(file, path, "neighbors"));
  VQS_ASSIGN_OR_RETURN(Matrix2d distances, OpenMatrix(file, path, "distances"));
  if (neighbors.type_class != H5T_INTEGER) {
    return absl::InvalidArgumentError(
        absl::StrCat("dataset `neighbors` in ", path, " does not hold integers"));
  }
  if (neighbors.rows != distances.rows || neighbors.cols != distances.cols) {
    return absl::InvalidArgumentError(absl::StrCat(
        "in ", path, ", `neighbors` is ", neighbors.rows, " x ", neighbors.cols,
        " but `distances` is ", distances.rows, " x ", distances.cols, "; they must match"));
  }
  if (neighbors.rows != static_cast<hsize_t>(dataset->num_test())) {
    return absl::InvalidArgumentError(absl::StrCat("in ", path, ", `neighbors` has ",
                                                   neighbors.rows, " rows but `test` has ",
                                                   dataset->num_test()));
  }

  // Ids arrive as int32 or int64 depending on the writer; reading them as int64 lets the
  // range check below see every stored value before narrowing.
  std::vector<int64_t> ids;
  VQS_RETURN_IF_ERROR(ReadMatrix(neighbors, H5T_NATIVE_INT64, path, "neighbors", &ids));
  const int64_t num_train = dataset->num_train();
  dataset->neighbors.resize(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] < 0 || ids[i] >= num_train) {
      return absl::InvalidArgumentError(absl::StrCat(
          "in ", path, ", `neighbors` row ", i / neighbors.cols, " column ", i % neighbors.cols,
          " is ", ids[i], ", outside the train ids [0, ", num_train, ")"));
    }
    dataset->neighbors[i] = static_cast<int32_t>(ids[i]);
  }
  VQS_RETURN_IF_ERROR(
      ReadMatrix(distances, H5T_NATIVE_FLOAT, path, "distances", &dataset->distances));
  dataset->gt_k = static_cast<int>(neighbors.cols);
  return absl::OkStatus();
}

// An opened ann-benchmarks file: its `train` and `test` matrices, of equal dimension.
struct AnnFile {
  Hdf5Handle file{H5I_INVALID_HID, H5Fclose};
  Matrix2d train;
  Matrix2d test;
};

absl::StatusOr<AnnFile> OpenAnnFile(const std::string& path) {
  std::error_code error;
  const bool exists = std::filesystem::exists(path, error);
  if (error) {
    return absl::InvalidArgumentError(absl::StrCat("cannot inspect ", path, ": ", error.message()));
  }
  if (!exists) return absl::NotFoundError(absl::StrCat("dataset file ", path, " does not exist"));
  if (!std::filesystem::is_regular_file(path, error)) {
    return absl::InvalidArgumentError(absl::StrCat(path, " is not a regular file"));
  }
  const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
  if (is_hdf5 < 0) return ReadFailure(path, "open the file");
  if (is_hdf5 == 0) {
    return absl::InvalidArgumentError(absl::StrCat(path, " is not an HDF5 file"));
  }
  AnnFile opened;
  opened.file = Hdf5Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!opened.file.valid()) return ReadFailure(path, "open the file");

  for (const char* name : {"train", "test"}) {
    VQS_ASSIGN_OR_RETURN(const bool present, HasLink(opened.file.get(), path, name));
    if (!present) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, " has no `", name, "` dataset; it is not an ann-benchmarks file"));
    }
  }
  VQS_ASSIGN_OR_RETURN(opened.train, OpenMatrix(opened.file.get(), path, "train"));
  VQS_ASSIGN_OR_RETURN(opened.test, OpenMatrix(opened.file.get(), path, "test"));
  if (opened.train.cols == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("dataset `train` in ", path, " has dimension 0"));
  }
  if (opened.train.cols != opened.test.cols) {
    return absl::InvalidArgumentError(absl::StrCat("in ", path, ", `train` has dimension ",
                                                   opened.train.cols, " but `test` has ",
                                                   opened.test.cols));
  }
  return opened;
}

// The metadata probe run in a child: the file opens, every dataset is a matrix the
// file stores; returns the `distance` attribute.
absl::StatusOr<std::string> ProbeMetadata(const std::string& path) {
  VQS_ASSIGN_OR_RETURN(const AnnFile opened, OpenAnnFile(path));
  for (const char* name : {"neighbors", "distances"}) {
    VQS_ASSIGN_OR_RETURN(const bool present, HasLink(opened.file.get(), path, name));
    if (present) VQS_RETURN_IF_ERROR(OpenMatrix(opened.file.get(), path, name).status());
  }
  return ReadDistanceAttribute(opened.file.get(), path);
}

absl::StatusOr<AnnDataset> ReadLocked(const std::string& path) {
  AnnDataset dataset;
  VQS_ASSIGN_OR_RETURN(dataset.distance, RunInChild([&] { return ProbeMetadata(path); }, path));
  VQS_ASSIGN_OR_RETURN(const AnnFile opened, OpenAnnFile(path));
  dataset.dim = static_cast<int>(opened.train.cols);
  VQS_RETURN_IF_ERROR(ReadMatrix(opened.train, H5T_NATIVE_FLOAT, path, "train", &dataset.train));
  VQS_RETURN_IF_ERROR(ReadMatrix(opened.test, H5T_NATIVE_FLOAT, path, "test", &dataset.test));
  VQS_RETURN_IF_ERROR(ReadGroundTruth(opened.file.get(), path, &dataset));
  return dataset;
}

// Checks everything a reader will check, so that a written file always reads back.
absl::Status ValidateForWrite(const AnnDataset& dataset, const std::string& path) {
  const auto invalid = [&path](auto&&... parts) {
    return absl::InvalidArgumentError(absl::StrCat("cannot write ", path, ": ", parts...));
  };
  if (dataset.distance.empty()) return invalid("the `distance` attribute is empty");
  if (dataset.dim <= 0) return invalid("dimension ", dataset.dim, " is not positive");
  if (dataset.train.size() % dataset.dim != 0) {
    return invalid("train holds ", dataset.train.size(), " floats, not a multiple of dimension ",
                   dataset.dim);
  }
  if (dataset.test.size() % dataset.dim != 0) {
    return invalid("test holds ", dataset.test.size(), " floats, not a multiple of dimension ",
                   dataset.dim);
  }
  if (dataset.gt_k < 0) return invalid("gt_k is ", dataset.gt_k);
  if (dataset.gt_k == 0) return absl::OkStatus();
  const size_t expected = static_cast<size_t>(dataset.num_test()) * dataset.gt_k;
  if (dataset.neighbors.size() != expected || dataset.distances.size() != expected) {
    return invalid("ground truth holds ", dataset.neighbors.size(), " neighbors and ",
                   dataset.distances.size(), " distances; expected ", dataset.num_test(),
                   " test vectors x gt_k ", dataset.gt_k, " = ", expected);
  }
  for (size_t i = 0; i < dataset.neighbors.size(); ++i) {
    if (dataset.neighbors[i] < 0 || dataset.neighbors[i] >= dataset.num_train()) {
      return invalid("neighbor ", i, " is ", dataset.neighbors[i], ", outside the train ids [0, ",
                     dataset.num_train(), ")");
    }
  }
  return absl::OkStatus();
}

absl::Status WriteMatrix(hid_t file, const std::string& path, const char* name, hid_t file_type,
                         hid_t memory_type, const void* data, hsize_t rows, hsize_t cols) {
  const hsize_t dims[2] = {rows, cols};
  Hdf5Handle space(H5Screate_simple(2, dims, nullptr), H5Sclose);
  if (!space.valid()) return WriteFailure(path, absl::StrCat("describe dataset `", name, "`"));
  Hdf5Handle dataset(
      H5Dcreate2(file, name, file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
      H5Dclose);
  if (!dataset.valid()) return WriteFailure(path, absl::StrCat("create dataset `", name, "`"));
  if (rows > 0 &&
      H5Dwrite(dataset.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) {
    return WriteFailure(path, absl::StrCat("write dataset `", name, "`"));
  }
  if (!dataset.Close()) return WriteFailure(path, absl::StrCat("close dataset `", name, "`"));
  return absl::OkStatus();
}

// A scalar variable-length UTF-8 string: the form h5py writes and reads back as str.
absl::Status WriteDistanceAttribute(hid_t file, const std::string& path,
                                    const std::string& distance) {
  Hdf5Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  if (!type.valid() || H5Tset_size(type.get(), H5T_VARIABLE) < 0 ||
      H5Tset_cset(type.get(), H5T_CSET_UTF8) < 0) {
    return WriteFailure(path, "describe the attribute `distance`");
  }
  Hdf5Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  if (!space.valid()) return WriteFailure(path, "describe the attribute `distance`");
  Hdf5Handle attribute(
      H5Acreate2(file, "distance", type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  if (!attribute.valid()) return WriteFailure(path, "create the attribute `distance`");
  const char* value = distance.c_str();
  if (H5Awrite(attribute.get(), type.get(), &value) < 0) {
    return WriteFailure(path, "write the attribute `distance`");
  }
  if (!attribute.Close()) return WriteFailure(path, "close the attribute `distance`");
  return absl::OkStatus();
}

// Writes the whole file at `temp_path`; the caller renames it into place.
absl::Status WriteFile(const std::string& temp_path, const AnnDataset& dataset) {
  Hdf5Handle file(H5Fcreate(temp_path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
                  H5Fclose);
  if (!file.valid()) return WriteFailure(temp_path, "create the file");
  VQS_RETURN_IF_ERROR(WriteDistanceAttribute(file.get(), temp_path, dataset.distance));
  const hsize_t dim = static_cast<hsize_t>(dataset.dim);
  VQS_RETURN_IF_ERROR(WriteMatrix(file.get(), temp_path, "train", H5T_IEEE_F32LE,
                                  H5T_NATIVE_FLOAT, dataset.train.data(),
                                  static_cast<hsize_t>(dataset.num_train()), dim));
  VQS_RETURN_IF_ERROR(WriteMatrix(file.get(), temp_path, "test", H5T_IEEE_F32LE,
                                  H5T_NATIVE_FLOAT, dataset.test.data(),
                                  static_cast<hsize_t>(dataset.num_test()), dim));
  if (dataset.gt_k > 0) {
    const hsize_t rows = static_cast<hsize_t>(dataset.num_test());
    const hsize_t gt_k = static_cast<hsize_t>(dataset.gt_k);
    VQS_RETURN_IF_ERROR(WriteMatrix(file.get(), temp_path, "neighbors", H5T_STD_I32LE,
                                    H5T_NATIVE_INT32, dataset.neighbors.data(), rows, gt_k));
    VQS_RETURN_IF_ERROR(WriteMatrix(file.get(), temp_path, "distances", H5T_IEEE_F32LE,
                                    H5T_NATIVE_FLOAT, dataset.distances.data(), rows, gt_k));
  }
  if (!file.Close()) return WriteFailure(temp_path, "flush and close the file");
  return absl::OkStatus();
}

// Runs `write` on a temporary file beside `path` under the HDF5 lock, then renames it
// over `path`, so that a failed or interrupted write never leaves half a file there.
absl::Status WriteAtomically(const std::string& path,
                             const std::function<absl::Status(const std::string&)>& write) {
  const std::string temp_path = path + ".tmp";
  absl::Status status;
  {
    std::lock_guard<std::mutex> lock(Hdf5Mutex());
    ScopedHdf5Silence silence;
    status = write(temp_path);
  }
  if (status.ok() && std::rename(temp_path.c_str(), path.c_str()) != 0) {
    status = absl::InternalError(absl::StrCat("cannot rename ", temp_path, " to ", path, ": ",
                                              std::strerror(errno)));
  }
  if (!status.ok()) std::remove(temp_path.c_str());
  return status;
}

}  // namespace

absl::StatusOr<AnnDataset> ReadAnnHdf5(const std::string& path) {
  VQS_RETURN_IF_ERROR(internal::CheckPath(path));
  std::lock_guard<std::mutex> lock(Hdf5Mutex());
  ScopedHdf5Silence silence;
  // The shapes are checked against the file, but a large valid one may still not fit.
  try {
    return ReadLocked(path);
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError(absl::StrCat("out of memory while reading ", path));
  }
}

absl::Status WriteAnnHdf5(const std::string& path, const AnnDataset& dataset) {
  VQS_RETURN_IF_ERROR(internal::CheckPath(path));
  VQS_RETURN_IF_ERROR(ValidateForWrite(dataset, path));
  return WriteAtomically(path, [&](const std::string& temp_path) { return WriteFile(temp_path, dataset); });
}

absl::Status WriteSearchResultsHdf5(const std::string& path, const SearchResults& results) {
  VQS_RETURN_IF_ERROR(internal::CheckPath(path));
  const size_t expected = static_cast<size_t>(results.num_queries) * static_cast<size_t>(results.k);
  if (results.k < 1 || results.ids.size() != expected || results.distances.size() != expected) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot write search results to ", path, ": ", results.ids.size(), " ids and ",
        results.distances.size(), " distances for ", results.num_queries, " queries x k ", results.k));
  }
  return WriteAtomically(path, [&](const std::string& temp_path) -> absl::Status {
    Hdf5Handle file(H5Fcreate(temp_path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
                    H5Fclose);
    if (!file.valid()) return WriteFailure(temp_path, "create the file");
    const hsize_t rows = static_cast<hsize_t>(results.num_queries);
    const hsize_t k = static_cast<hsize_t>(results.k);
    VQS_RETURN_IF_ERROR(WriteMatrix(file.get(), temp_path, "neighbors", H5T_STD_I64LE,
                                    H5T_NATIVE_INT64, results.ids.data(), rows, k));
    VQS_RETURN_IF_ERROR(WriteMatrix(file.get(), temp_path, "distances", H5T_IEEE_F32LE,
                                    H5T_NATIVE_FLOAT, results.distances.data(), rows, k));
    if (!file.Close()) return WriteFailure(temp_path, "flush and close the file");
    return absl::OkStatus();
  });
}

}  // namespace vqsearch
