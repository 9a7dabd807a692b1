# ui: messages of this area (en)
