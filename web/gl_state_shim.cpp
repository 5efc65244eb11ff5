// Dear ImGui's OpenGL backend saves about twenty pieces of GL state before every frame it renders
// and restores them after, so that it can share a context with other rendering. netshape is the
// only user of its WebGL context, and in a browser each of those queries (getParameter,
// isEnabled) may wait for the GPU process: in Chromium with its software renderer they took 20–35
// ms of every frame, more than everything else together. So the backend alone is compiled with
// its glGetIntegerv and glIsEnabled named to these (web/cmake/web_app.cmake), which answer the
// state ImGui saves from what the app keeps between frames, without asking WebGL:
// - nothing bound (program, texture, sampler, buffers, vertex array), texture unit 0;
// - blending, culling, depth, stencil, scissor test and primitive restart off; blend func
//   (ONE, ZERO) and equation ADD, WebGL's defaults;
// - viewport and scissor box empty: the next frame sets its viewport before it clears, and the
//   scissor test is off then.
// So ImGui "restores" exactly that after each frame. Other queries (the GL version at start-up)
// go to WebGL.
#include <GLES3/gl3.h>

extern "C" {

void netshape_glGetIntegerv(GLenum name, GLint* value) {
    switch (name) {
    case GL_ACTIVE_TEXTURE: *value = GL_TEXTURE0; return;
    case GL_CURRENT_PROGRAM:
    case GL_TEXTURE_BINDING_2D:
    case GL_SAMPLER_BINDING:
    case GL_ARRAY_BUFFER_BINDING:
    case GL_ELEMENT_ARRAY_BUFFER_BINDING:
    case GL_VERTEX_ARRAY_BINDING: *value = 0; return;
    case GL_BLEND_SRC_RGB:
    case GL_BLEND_SRC_ALPHA: *value = GL_ONE; return;
    case GL_BLEND_DST_RGB:
    case GL_BLEND_DST_ALPHA: *value = GL_ZERO; return;
    case GL_BLEND_EQUATION_RGB:
    case GL_BLEND_EQUATION_ALPHA: *value = GL_FUNC_ADD; return;
    case GL_VIEWPORT:
    case GL_SCISSOR_BOX:
        value[0] = value[1] = value[2] = value[3] = 0;
        return;
    default: glGetIntegerv(name, value);
    }
}

GLboolean netshape_glIsEnabled(GLenum capability) {
    switch (capability) {
    case GL_BLEND:
    case GL_CULL_FACE:
    case GL_DEPTH_TEST:
    case GL_STENCIL_TEST:
    case GL_SCISSOR_TEST:
    case GL_PRIMITIVE_RESTART_FIXED_INDEX: return GL_FALSE;
    default: return glIsEnabled(capability);
    }
}

} // extern "C"
