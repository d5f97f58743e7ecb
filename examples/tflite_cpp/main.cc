// A C++17 program over the TensorFlow Lite C API, as an application written
// for TFLite would use it: the C handles wrapped in std::unique_ptr, errors
// collected through the error reporter and thrown as exceptions. Built with
// find_package(IREERuntime) (see CMakeLists.txt); nothing in it names IREE.
//
// Usage: tflite_cpp [--threads N] model.{vmfb,tflite} [input0.bin ...]
// Inputs not given are zeros. Prints every input's and output's type and
// shape, then each output's first values and the index of its largest one.
#include <algorithm>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "tensorflow/lite/c/c_api.h"

namespace {

// The error reporter's messages since the last check.
struct Errors {
  std::string last;

  static void Report(void* user_data, const char* format, va_list args) {
    char message[1024];
    std::vsnprintf(message, sizeof message, format, args);
    static_cast<Errors*>(user_data)->last = message;
  }

  [[noreturn]] void Throw(const std::string& what) const {
    throw std::runtime_error(what + (last.empty() ? "" : ": " + last));
  }
};

template <typename T, void (*Delete)(T*)>
struct Deleter {
  void operator()(T* handle) const { Delete(handle); }
};
using Model = std::unique_ptr<TfLiteModel, Deleter<TfLiteModel, TfLiteModelDelete>>;
using Options =
    std::unique_ptr<TfLiteInterpreterOptions,
                    Deleter<TfLiteInterpreterOptions, TfLiteInterpreterOptionsDelete>>;
using Interpreter =
    std::unique_ptr<TfLiteInterpreter, Deleter<TfLiteInterpreter, TfLiteInterpreterDelete>>;

std::vector<char> ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot open " + path);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

std::string Describe(const TfLiteTensor* tensor) {
  std::string text = "'" + std::string(TfLiteTensorName(tensor)) + "': " +
                     TfLiteTypeGetName(TfLiteTensorType(tensor)) + " [";
  for (int d = 0; d < TfLiteTensorNumDims(tensor); ++d) {
    if (d) text += "x";
    text += std::to_string(TfLiteTensorDim(tensor, d));
  }
  return text + "]";
}

// The tensor's elements as doubles (dequantized values are not needed here:
// the largest raw value is the largest real one for positive scales).
std::vector<double> Values(const TfLiteTensor* tensor) {
  const auto* data = static_cast<const unsigned char*>(TfLiteTensorData(tensor));
  size_t bytes = TfLiteTensorByteSize(tensor);
  std::vector<double> values;
  auto take = [&](auto sample) {
    using T = decltype(sample);
    for (size_t i = 0; i + sizeof(T) <= bytes; i += sizeof(T)) {
      T value;
      std::memcpy(&value, data + i, sizeof(T));
      values.push_back(static_cast<double>(value));
    }
  };
  switch (TfLiteTensorType(tensor)) {
    case kTfLiteFloat32: take(float{}); break;
    case kTfLiteInt32: take(int32_t{}); break;
    case kTfLiteUInt8: take(uint8_t{}); break;
    case kTfLiteInt8: take(int8_t{}); break;
    default: break;
  }
  return values;
}

int Run(int argc, char** argv) {
  int threads = 1;
  int arg = 1;
  if (arg + 1 < argc && std::string(argv[arg]) == "--threads") {
    threads = std::stoi(argv[arg + 1]);
    arg += 2;
  }
  if (arg >= argc) {
    std::cerr << "usage: " << argv[0]
              << " [--threads N] model.{vmfb,tflite} [input0.bin ...]\n";
    return 2;
  }
  Errors errors;
  std::cout << "TensorFlow Lite C API " << TfLiteVersion() << ", " << threads
            << " thread(s)" << std::endl;
  Model model(
      TfLiteModelCreateFromFileWithErrorReporter(argv[arg], Errors::Report, &errors));
  if (!model) errors.Throw(std::string("cannot load ") + argv[arg]);
  Options options(TfLiteInterpreterOptionsCreate());
  TfLiteInterpreterOptionsSetNumThreads(options.get(), threads);
  TfLiteInterpreterOptionsSetErrorReporter(options.get(), Errors::Report, &errors);
  Interpreter interpreter(TfLiteInterpreterCreate(model.get(), options.get()));
  if (!interpreter) errors.Throw("cannot create the interpreter");
  // The interpreter keeps what it needs of both.
  options.reset();
  model.reset();

  if (TfLiteInterpreterAllocateTensors(interpreter.get()) != kTfLiteOk)
    errors.Throw("AllocateTensors");
  for (int i = 0; i < TfLiteInterpreterGetInputTensorCount(interpreter.get()); ++i) {
    TfLiteTensor* input = TfLiteInterpreterGetInputTensor(interpreter.get(), i);
    std::cout << "input " << Describe(input) << "\n";
    std::vector<char> data(TfLiteTensorByteSize(input));
    if (arg + 1 + i < argc) data = ReadFile(argv[arg + 1 + i]);
    if (TfLiteTensorCopyFromBuffer(input, data.data(), data.size()) != kTfLiteOk)
      errors.Throw("input " + std::to_string(i));
  }
  if (TfLiteInterpreterInvoke(interpreter.get()) != kTfLiteOk) errors.Throw("Invoke");
  for (int i = 0; i < TfLiteInterpreterGetOutputTensorCount(interpreter.get()); ++i) {
    const TfLiteTensor* output = TfLiteInterpreterGetOutputTensor(interpreter.get(), i);
    std::cout << "output " << Describe(output) << "\n";
    std::vector<double> values = Values(output);
    std::cout.precision(9);
    for (size_t v = 0; v < values.size() && v < 8; ++v) std::cout << " " << values[v];
    std::cout << "\n";
    if (!values.empty()) {
      auto largest = std::max_element(values.begin(), values.end());
      std::cout << "largest: element " << (largest - values.begin()) << " = " << *largest
                << "\n";
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
